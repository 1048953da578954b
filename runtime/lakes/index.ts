export type { LakeReader, LakeLocation, ReadOptions } from './lake-reader';
export { LocalLakeReader } from './local-lake';
export { WebHdfsLakeReader } from './webhdfs-lake';
export { AdlsLakeReader } from './adls-lake';
export { readRemoteFile } from './remote-file';
export { openLakeReader } from './open-lake-reader';
