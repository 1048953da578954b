// A Node service that installed only the runtime package: a training set and an online
// lookup through the public API, type-checked against the package's shipped declarations.
import { FeatureStore, arrow, type OnlineFeaturesResponse } from '@featurestack/runtime';

async function main(registry: string): Promise<void> {
  const store = await FeatureStore.open({ manifest: registry });
  try {
    const online: OnlineFeaturesResponse = await store.getOnlineFeatures({
      featureService: 'taxi_weather',
      entities: { taxi_id: ['taxi_0001', 'taxi_9999'] },
    });
    const entities = arrow.tableFromArrays({
      taxi_id: ['taxi_0001', 'taxi_0002'],
      event_timestamp: [new Date(), new Date()],
    });
    const training = await store.getHistoricalFeatures({ entities, featureService: 'taxi_weather' });
    process.stdout.write(
      JSON.stringify({
        featureNames: online.metadata.feature_names,
        statuses: online.results.map((r) => r.statuses),
        trainingRows: training.numRows,
        trainingColumns: training.schema.fields.map((f) => f.name),
      }) + '\n',
    );
  } finally {
    await store.close();
  }
}

main(process.argv[2]).catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
