import { App } from 'cdktf';
import { LocalStack } from './local-stack';
import { ProdStack } from './prod-stack';

const app = new App();
new LocalStack(app);
new ProdStack(app);
app.synth();
