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
    // An on-demand view: its transform is the bundle synth wrote beside the registry, run without any TypeScript loader.
    const quote = { quoted_fare: [18.5], trip_miles: [4.2] };
    const quoted = await store.getOnlineFeatures({ features: ['fare_quote:quoted_fare_per_mile'], entities: { taxi_id: ['taxi_0001'], ...quote } });
    const quotedTraining = await store.getHistoricalFeatures({
      entities: arrow.tableFromArrays({ taxi_id: ['taxi_0001'], event_timestamp: [new Date()], quoted_fare: Float64Array.from(quote.quoted_fare), trip_miles: Float64Array.from(quote.trip_miles) }),
      features: ['fare_quote:quoted_fare_per_mile'],
    });
    process.stdout.write(
      JSON.stringify({
        featureNames: online.metadata.feature_names,
        statuses: online.results.map((r) => r.statuses),
        trainingRows: training.numRows,
        trainingColumns: training.schema.fields.map((f) => f.name),
        quotedFarePerMile: { online: quoted.results[1].values[0], training: quotedTraining.getChild('quoted_fare_per_mile')?.get(0) },
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
