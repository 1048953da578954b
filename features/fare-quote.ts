import { join } from 'node:path';
import { Construct } from 'constructs';
import { FeatureView, OnDemandFeatureView, RequestSource, types } from '../constructs';

/** Fare per mile of a quoted trip, computed at request time against the taxi's recent fares. */
export function declareFareQuote(scope: Construct, taxiTrips: FeatureView): OnDemandFeatureView {
  const quote = new RequestSource(scope, 'fare_quote_request', {
    schema: [
      { name: 'quoted_fare', dtype: types.Float64, description: 'Fare quoted to the rider, in dollars' },
      { name: 'trip_miles', dtype: types.Float64, description: 'Length of the quoted trip' },
    ],
    description: 'The trip a rider is being quoted for',
  });
  return new OnDemandFeatureView(scope, 'fare_quote', {
    sources: [quote, taxiTrips.select(['avg_fare', 'avg_trip_miles'])],
    schema: [
      { name: 'quoted_fare_per_mile', dtype: types.Float64, description: 'Quoted fare over trip miles' },
      { name: 'fare_per_mile_ratio', dtype: types.Float64, description: "Quoted fare per mile over the taxi's fare per mile in its last hour" },
    ],
    transform: { module: join(__dirname, 'fare-per-mile.ts'), export: 'farePerMile' },
    tags: { domain: 'pricing' },
    owner: 'pricing-data@example.com',
    description: 'Is this quote high or low for this taxi?',
  });
}
