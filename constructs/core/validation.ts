import type { IConstruct } from 'constructs';

/** A synth-time error message: "<construct path>: <problem>; <fix>". */
export function problem(construct: IConstruct, what: string, fix: string): string {
  return `${construct.node.path}: ${what}; ${fix}`;
}

/** Registers a check that runs at synth, when the whole tree is known. */
export function validateAtSynth(construct: IConstruct, check: () => string[]): void {
  construct.node.addValidation({ validate: check });
}

const REGISTRY_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Registry names become column prefixes and Redis fields, so they stay identifier-like. */
export function checkRegistryName(construct: IConstruct, kind: string, name: string): string[] {
  return REGISTRY_NAME.test(name)
    ? []
    : [problem(construct, `${kind} name "${name}" is not a valid name`, 'use letters, digits and _ only, not starting with a digit (e.g. "driver_stats")')];
}
