/**
 * The transform of the `fare_quote` on-demand view: a quoted fare per mile, and how it
 * compares with what the taxi earned per mile in its last hour. Pure: the same inputs
 * give the same outputs online, in the feature server and in training.
 */
export interface FareQuoteInputs {
  /** Request fields: the fare quoted for the trip and its length. */
  readonly quoted_fare: number | null;
  readonly trip_miles: number | null;
  /** Stored features of `taxi_trips_hourly` (null when the taxi has none in its TTL). */
  readonly avg_fare: number | null;
  readonly avg_trip_miles: number | null;
}

export interface FareQuoteOutputs {
  quoted_fare_per_mile: number | null;
  /** Quoted fare per mile over the taxi's recent fare per mile; 1 means "as usual". */
  fare_per_mile_ratio: number | null;
}

const perMile = (fare: number | null, miles: number | null): number | null =>
  fare === null || miles === null || !(miles > 0) ? null : fare / miles;

export function farePerMile(row: FareQuoteInputs): FareQuoteOutputs {
  const quoted = perMile(row.quoted_fare, row.trip_miles);
  const usual = perMile(row.avg_fare, row.avg_trip_miles);
  return {
    quoted_fare_per_mile: quoted,
    fare_per_mile_ratio: quoted === null || usual === null || usual === 0 ? null : quoted / usual,
  };
}
