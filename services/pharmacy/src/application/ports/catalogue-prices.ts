/** The catalogue's price per unit of each medicine (orders owns the catalogue). */
export abstract class CataloguePrices {
  /** Cents per unit, keyed by medicine id; unknown ids are absent. */
  abstract pricesOf(medicineIds: readonly string[]): Promise<Map<string, number>>;
}
