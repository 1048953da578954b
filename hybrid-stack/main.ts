import { synthesizeApp } from '../constructs';
import { LocalStack } from './local-stack';
import { ProdStack } from './prod-stack';

synthesizeApp((app) => {
  new LocalStack(app);
  new ProdStack(app);
});
