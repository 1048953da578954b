import { AggregationFeatureView, FeatureRepo, FeatureService, FeatureView, IAdlsLake, IHdfsLake, ILocalLake, OnDemandFeatureView } from '../constructs';
import { declareDocChunks } from './doc-chunks';
import { declareDriverStats } from './driver-stats';
import { declareEntities } from './entities';
import { declareFareQuote } from './fare-quote';
import { declareTaxiTrips } from './taxi-trips';
import { declareRecentTaxiTrips } from './taxi-trips-recent';
import { declareWeather } from './weather';

export { DATA_LAYOUT } from './data-layout';
export { DOC_CHUNK_DIMENSION } from './doc-chunks';

/** The lakes the example reads from; a local stack passes local folders for all three. */
export interface ExampleLakes {
  readonly hdfs: IHdfsLake | ILocalLake;
  readonly adls: IAdlsLake | ILocalLake;
  readonly files: ILocalLake;
}

export interface ExampleFeatures {
  readonly taxiTrips: FeatureView;
  readonly weather: FeatureView;
  readonly driverStats: FeatureView;
  readonly driverStatsFresh: FeatureView;
  readonly taxiWeather: FeatureService;
  readonly driverActivity: FeatureService;
  readonly fareQuote: OnDemandFeatureView;
  readonly taxiFareQuote: FeatureService;
  readonly taxiTripsRecent: AggregationFeatureView;
  readonly taxiRecentActivity: FeatureService;
  readonly docChunks: FeatureView;
}

/**
 * The example feature repository, modeled on Chicago's open data: taxi trips on the
 * on-prem HDFS lake, weather in ADLS, and Feast's driver statistics from a local
 * file. The data layout is described in ./data-layout.ts.
 */
export function declareExampleFeatures(repo: FeatureRepo, lakes: ExampleLakes): ExampleFeatures {
  const { taxi, driver } = declareEntities(repo);
  const taxiTrips = declareTaxiTrips(repo, lakes.hdfs, taxi);
  const weather = declareWeather(repo, lakes.adls);
  const { stats, fresh } = declareDriverStats(repo, lakes.files, driver);
  const taxiWeather = new FeatureService(repo, 'taxi_weather', {
    features: [taxiTrips, weather.select(['avg_temp', 'total_rain', 'precipitation_type'])],
    description: 'Taxi activity with the weather at the time, for demand models',
    owner: 'mobility-data@example.com',
  });
  const driverActivity = new FeatureService(repo, 'driver_activity', {
    features: [stats.select(['conv_rate', 'acc_rate']), fresh.select(['avg_daily_trips']).withName('driver_fresh')],
    description: 'Driver conversion and acceptance with the freshest trip count',
    owner: 'mobility-data@example.com',
  });
  const fareQuote = declareFareQuote(repo, taxiTrips);
  const taxiFareQuote = new FeatureService(repo, 'taxi_fare_quote', {
    features: [taxiTrips.select(['trip_count', 'avg_fare']), fareQuote],
    description: 'A quoted trip against the taxi\'s recent activity, for pricing models',
    owner: 'pricing-data@example.com',
  });
  const taxiTripsRecent = declareRecentTaxiTrips(repo, lakes.hdfs, taxi);
  const taxiRecentActivity = new FeatureService(repo, 'taxi_recent_activity', {
    features: [taxiTripsRecent],
    description: 'Trips and fares of each taxi in the last 1 h and 24 h, for demand and risk models',
    owner: 'mobility-data@example.com',
  });
  const { docChunks } = declareDocChunks(repo, lakes.files);
  return { taxiTrips, weather, driverStats: stats, driverStatsFresh: fresh, taxiWeather, driverActivity, fareQuote, taxiFareQuote, taxiTripsRecent, taxiRecentActivity, docChunks };
}
