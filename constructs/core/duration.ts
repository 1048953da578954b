/** A length of time, e.g. a feature view's TTL. Typed so that units are never guessed. */
export class Duration {
  static seconds(amount: number): Duration {
    return new Duration(amount);
  }
  static minutes(amount: number): Duration {
    return new Duration(amount * 60);
  }
  static hours(amount: number): Duration {
    return new Duration(amount * 3600);
  }
  static days(amount: number): Duration {
    return new Duration(amount * 86400);
  }
  static weeks(amount: number): Duration {
    return new Duration(amount * 7 * 86400);
  }

  // Negative or fractional amounts are kept as given so that synth can report them
  // with the construct path instead of failing deep inside a constructor.
  private constructor(private readonly totalSeconds: number) {}

  toSeconds(): number {
    return this.totalSeconds;
  }
}
