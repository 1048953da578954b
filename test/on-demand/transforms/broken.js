export function f( {
