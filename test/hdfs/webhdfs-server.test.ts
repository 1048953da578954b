import { startWebHdfsServer, type WebHdfsServer } from '../support/webhdfs-server';
import { BEHAVIOUR_GROUPS, describeWebHdfsBehaviour } from './webhdfs-behaviour';

let server: WebHdfsServer;
beforeAll(async () => {
  server = await startWebHdfsServer({ superuser: 'hdfs', rootPermission: '755', groups: BEHAVIOUR_GROUPS });
});
afterAll(() => server?.stop());

describeWebHdfsBehaviour('the in-repo WebHDFS server', () => ({
  url: server.url,
  superuser: 'hdfs',
  attributes: async (p) => server.attributes(p),
  operations: server.operations,
}));
