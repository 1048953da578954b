import type { IConstruct } from 'constructs';
import { Token } from 'cdktf';
import { problem } from '../core/validation';

interface NamingRule {
  readonly test: (name: string) => boolean;
  readonly rule: string;
  readonly example: string;
}

// Azure's published rules for the names this library creates.
const RULES = {
  'storage account': {
    test: (n: string) => /^[a-z0-9]{3,24}$/.test(n),
    rule: '3-24 characters, lower-case letters and digits only',
    example: 'featurestacklake',
  },
  'ADLS filesystem': {
    test: (n: string) => /^[a-z0-9](?:[a-z0-9]|-(?!-)){2,62}$/.test(n) && !n.endsWith('-'),
    rule: '3-63 characters: lower-case letters, digits and single hyphens, starting and ending with a letter or digit',
    example: 'weather',
  },
  'Redis cache': {
    test: (n: string) => /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?!-)){0,62}$/.test(n) && !n.endsWith('-'),
    rule: '1-63 characters: letters, digits and single hyphens, starting and ending with a letter or digit',
    example: 'featurestack-online',
  },
  'Key Vault': {
    test: (n: string) => /^[A-Za-z](?:[A-Za-z0-9]|-(?!-)){2,23}$/.test(n) && !n.endsWith('-'),
    rule: '3-24 characters: letters, digits and single hyphens, starting with a letter and ending with a letter or digit',
    example: 'featurestack-kv',
  },
  'Key Vault secret': {
    test: (n: string) => /^[A-Za-z0-9-]{1,127}$/.test(n),
    rule: '1-127 characters: letters, digits and hyphens',
    example: 'featurestack-redis-key',
  },
  'Databricks workspace': {
    test: (n: string) => /^[A-Za-z0-9][A-Za-z0-9_-]{1,62}[A-Za-z0-9]$/.test(n),
    rule: '3-64 characters: letters, digits, _ and -, starting and ending with a letter or digit',
    example: 'featurestack-dbw',
  },
  'resource group': {
    test: (n: string) => /^[-\w.()]{1,90}$/.test(n) && !n.endsWith('.'),
    rule: '1-90 characters: letters, digits, _, -, ., ( and ), not ending with .',
    example: 'featurestack-rg',
  },
} satisfies Record<string, NamingRule>;

export type AzureNameKind = keyof typeof RULES;

/** Synth-time problems with an Azure resource name (none for names only known at deploy). */
export function checkAzureName(scope: IConstruct, kind: AzureNameKind, name: string): string[] {
  if (Token.isUnresolved(name)) return [];
  const rule: NamingRule = RULES[kind];
  return rule.test(name) ? [] : [problem(scope, `${kind} name "${name}" breaks Azure's naming rules (${rule.rule})`, `choose a name like "${rule.example}"`)];
}
