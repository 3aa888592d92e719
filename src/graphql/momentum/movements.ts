import type { Movement } from "../../domain/movers.js";
import type { Context } from "../context.js";
import type { ArtistMovement } from "./momentum.types.js";

/** Movements with their artists, loaded in one batch. */
export async function toMovements(context: Context, movements: Movement[]): Promise<ArtistMovement[]> {
  const artists = await context.loaders.artist.loadMany(movements.map((m) => m.artistId));
  return movements.flatMap((movement, i) => {
    const artist = artists[i];
    return artist && !(artist instanceof Error) ? [{ ...movement, artist }] : [];
  });
}
