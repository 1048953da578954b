import { Construct } from 'constructs';
import { AdlsSource, Duration, FeatureView, IAdlsLake, ILocalLake, types } from '../constructs';
import { DATA_LAYOUT } from './data-layout';

/** City-wide hourly weather, landed in the Azure lake. Entity-less: joined on time only. */
export function declareWeather(scope: Construct, lake: IAdlsLake | ILocalLake): FeatureView {
  const source = new AdlsSource(scope, 'station_reads_hourly_source', {
    lake,
    filesystem: DATA_LAYOUT.stationReadsHourly.filesystem,
    path: DATA_LAYOUT.stationReadsHourly.path,
    timestampField: 'event_timestamp',
    createdTimestampColumn: 'created',
    description: 'Weather station reads aggregated per hour for the city',
  });
  return new FeatureView(scope, 'station_reads_hourly', {
    schema: [
      { name: 'avg_temp', dtype: types.Float64, description: 'Degrees Celsius' },
      { name: 'total_rain', dtype: types.Float64, description: 'Millimetres' },
      { name: 'precipitation_type', dtype: types.String, description: "'none', 'rain', 'snow' or 'sleet'" },
    ],
    ttl: Duration.hours(2),
    source,
    tags: { domain: 'weather', lake: 'adls' },
    owner: 'climate-data@example.com',
    description: 'The weather in Chicago in the last hour',
  });
}
