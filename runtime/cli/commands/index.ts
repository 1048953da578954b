import type { Command } from 'commander';
import { register as hdfs } from './hdfs';
import { register as getHistorical } from './get-historical';
import { register as materialize } from './materialize';
import { register as getOnline } from './get-online';
import { register as retrieveOnlineDocuments } from './retrieve-online-documents';
import { register as serve } from './serve';
import { register as plan } from './plan';
import { register as spark } from './spark';
import { register as list } from './list';
import { register as catalog } from './catalog';
import { register as synth } from './synth';

/** Every CLI command; each file registers its own verbs. */
export const COMMANDS: ((program: Command) => void)[] = [
  hdfs,
  getHistorical,
  materialize,
  getOnline,
  retrieveOnlineDocuments,
  serve,
  synth,
  plan,
  spark,
  list,
  catalog,
];
