/**
 * Whether two platforms' names are one artist's: the same letters and digits once case, accents,
 * punctuation, spacing, "&"/"and" and a leading "The" are set aside ("The Weeknd" and "weeknd",
 * "Beyoncé" and "BEYONCE", "Simon & Garfunkel" and "Simon and Garfunkel").
 */
export function normaliseArtistName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/^\s*the\s+/, "")
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

export const sameArtistName = (a: string, b: string) => {
  const left = normaliseArtistName(a);
  return left !== "" && left === normaliseArtistName(b);
};
