export function feelsLike(row: { temp: number | null; wind_chill: number | null }) {
  return { feels_like: row.temp === null || row.wind_chill === null ? null : row.temp - row.wind_chill };
}
