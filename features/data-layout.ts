/**
 * Where the example repository expects its data, and in what shape. The demo
 * generates files to match; anyone loading real data follows the same layout.
 *
 * Every dataset is Parquet. Timestamps are `timestamp[us, UTC]` (naive timestamps
 * are read as UTC). Paths are relative to the lake; in the `local` stack each lake
 * is a folder under `.featurestack/lake/` (`hdfs/`, `adls/`, `files/`).
 *
 * taxi_trips_hourly: HDFS lake, folder `/warehouse/chicago/taxi_trips_hourly/`,
 * hive-partitioned by day (`date=2024-01-31/part-00000.parquet`, ...), one row per
 * taxi and hour:
 *   taxi_id          string   the taxi's hashed id (Chicago's `taxi_id`)
 *   event_timestamp  timestamp  start of the hour
 *   created          timestamp  when the row was computed (a recomputed hour wins)
 *   trip_count       int64
 *   avg_fare         double   dollars
 *   avg_trip_miles   double
 *   total_tips       double   dollars
 *
 * taxi_trips_raw: HDFS lake, folder `/warehouse/chicago/taxi_trips_raw/`, hive-partitioned
 * by day like the hourly table, one row per trip (what the hourly table is computed from;
 * the aggregation view taxi_trips_recent reads it):
 *   taxi_id               string     the taxi's hashed id
 *   trip_start_timestamp  timestamp  when the trip started
 *   trip_miles            double
 *   fare                  double     dollars (null when unknown)
 *
 * station_reads_hourly: ADLS lake, filesystem `weather`, folder
 * `station_reads_hourly/` of part files (`part-00000.parquet`, ...), one row per hour
 * for the whole city (no entity):
 *   event_timestamp     timestamp  start of the hour
 *   created             timestamp
 *   avg_temp            double   degrees Celsius
 *   total_rain          double   millimetres
 *   precipitation_type  string   'none' | 'rain' | 'snow' | 'sleet'
 *
 * driver_hourly_stats: local file `driver_stats/driver_hourly_stats.parquet` in the
 * `files` lake (Feast's driver example):
 *   driver_id        int64
 *   event_timestamp  timestamp
 *   created          timestamp
 *   conv_rate        float    (float32)
 *   acc_rate         float    (float32)
 *   avg_daily_trips  int64
 */
export const DATA_LAYOUT = {
  taxiTripsHourly: '/warehouse/chicago/taxi_trips_hourly',
  taxiTripsRaw: '/warehouse/chicago/taxi_trips_raw',
  stationReadsHourly: { filesystem: 'weather', path: 'station_reads_hourly' },
  driverHourlyStats: 'driver_stats/driver_hourly_stats.parquet',
} as const;
