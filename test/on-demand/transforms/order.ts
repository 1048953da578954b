/** Test transforms: pure functions of one row of inputs. */
interface OrderInputs {
  amount: number | null;
  currency: string | null;
  conv_rate: number | null;
  trips: number | bigint | null;
}

export function orderFeatures(row: OrderInputs) {
  const trips = row.trips === null ? null : Number(row.trips);
  return {
    amount_per_trip: row.amount === null || trips === null || trips === 0 ? null : row.amount / trips,
    big_order: row.amount === null ? null : row.amount > 100,
    currency_label: row.currency === null ? null : `${row.currency}:${row.conv_rate === null ? 'new' : row.conv_rate >= 0.5 ? 'loyal' : 'casual'}`,
    trips_plus_one: row.trips === null ? null : BigInt(row.trips) + 1n,
  };
}

export function amountCents(row: { amount: number | null }) {
  return { amount_cents: row.amount === null ? null : Math.round(row.amount * 100) };
}

export function refuseNegative(row: { amount: number | null }) {
  if (row.amount !== null && row.amount < 0) throw new Error(`negative amount ${row.amount}`);
  return { checked_amount: row.amount };
}

export function wrongType(row: { amount: number | null }) {
  return { amount_text: row.amount === null ? null : `${row.amount} EUR` };
}

export const notAFunction = 42;
