import { and, asc, desc, eq, exists, inArray, sql, type SQLWrapper } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { globalArtists, platformAccounts, userArtists, type GlobalArtistRow, type PlatformAccountRow, type UserArtistRow } from "../db/schema.js";
import { invalidArgument } from "./errors.js";
import { decodeCursor, pageSize, toPage, type Page, type PageArgs } from "./pagination.js";
import { parseSpotifyArtistId } from "./spotify-id.js";

export const SEARCH_MAX = 100;

const searchKey = (value: SQLWrapper | string) => sql`fanpulse_search_key(${value})`;

export async function artistById(db: Database, id: string): Promise<GlobalArtistRow | undefined> {
  const [row] = await db.select().from(globalArtists).where(eq(globalArtists.id, id));
  return row;
}

export async function artistBySpotifyId(db: Database, spotifyIdInput: string): Promise<GlobalArtistRow | undefined> {
  const spotifyId = parseSpotifyArtistId(spotifyIdInput, "spotifyId");
  const [row] = await db.select().from(globalArtists).where(eq(globalArtists.spotifyId, spotifyId));
  return row;
}

// Batched lookups: each takes many keys and answers with one statement, for the loaders.

export const artistsByIds = (db: Database, ids: readonly string[]) =>
  db.select().from(globalArtists).where(inArray(globalArtists.id, [...ids]));

export const trackerCounts = (db: Database, artistIds: readonly string[]) =>
  db
    .select({ artistId: userArtists.artistId, count: sql<number>`count(*)::int` })
    .from(userArtists)
    .where(inArray(userArtists.artistId, [...artistIds]))
    .groupBy(userArtists.artistId);

export const linksOfUser = (db: Database, userId: string, artistIds: readonly string[]): Promise<UserArtistRow[]> =>
  db
    .select()
    .from(userArtists)
    .where(and(eq(userArtists.userId, userId), inArray(userArtists.artistId, [...artistIds])));

export const accountsOfArtists = (db: Database, artistIds: readonly string[]): Promise<PlatformAccountRow[]> =>
  db
    .select()
    .from(platformAccounts)
    .where(inArray(platformAccounts.artistId, [...artistIds]))
    .orderBy(asc(platformAccounts.platform), asc(platformAccounts.createdAt));

const tracked = (db: Database) =>
  exists(db.select({ one: sql`1` }).from(userArtists).where(eq(userArtists.artistId, globalArtists.id)));

/** Every tracked artist, by name, optionally filtered by a case- and accent-insensitive search. */
export async function listArtists(db: Database, args: PageArgs & { search?: string | null }): Promise<Page<GlobalArtistRow>> {
  const size = pageSize(args.first);
  const after = decodeCursor(args.after, "name");
  const search = args.search?.trim();
  if (search && search.length > SEARCH_MAX) throw invalidArgument("search", `must be at most ${SEARCH_MAX} characters long`);
  const pattern = search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const filter = and(tracked(db), pattern ? sql`${searchKey(globalArtists.name)} LIKE ${searchKey(pattern)}` : undefined);
  const afterKey = after ? sql`(${searchKey(globalArtists.name)}, ${globalArtists.id}) > (${after.key}, ${after.id}::uuid)` : undefined;
  const [rows, [count]] = await Promise.all([
    db
      .select({ node: globalArtists, key: searchKey(globalArtists.name).mapWith(String) })
      .from(globalArtists)
      .where(and(filter, afterKey))
      .orderBy(searchKey(globalArtists.name), asc(globalArtists.id))
      .limit(size + 1),
    db.select({ count: sql<number>`count(*)::int` }).from(globalArtists).where(filter),
  ]);
  return toPage(rows, size, count?.count ?? 0, "name", (artist) => artist.id);
}

const isTimestamp = (key: string) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/.test(key);

export type TrackedOrder = "ADDED_AT_DESC" | "NAME_ASC" | "MOMENTUM_DESC";

/** The user's links, in keyset pages; the cursor carries the sort key of the last link. */
export async function listTrackedArtists(
  db: Database,
  userId: string,
  args: PageArgs & { favoritesOnly?: boolean | null; orderBy?: TrackedOrder | null },
): Promise<Page<UserArtistRow>> {
  const size = pageSize(args.first);
  const order = args.orderBy ?? "ADDED_AT_DESC";
  const after = decodeCursor(args.after, order, order === "ADDED_AT_DESC" ? isTimestamp : undefined);
  const filter = and(eq(userArtists.userId, userId), args.favoritesOnly ? eq(userArtists.isFavorite, true) : undefined);
  const count = db.select({ count: sql<number>`count(*)::int` }).from(userArtists).where(filter);
  if (order === "NAME_ASC") {
    const key = searchKey(globalArtists.name);
    const afterKey = after ? sql`(${key}, ${userArtists.artistId}) > (${after.key}, ${after.id}::uuid)` : undefined;
    const [rows, [total]] = await Promise.all([
      db
        .select({ node: userArtists, key: key.mapWith(String) })
        .from(userArtists)
        .innerJoin(globalArtists, eq(globalArtists.id, userArtists.artistId))
        .where(and(filter, afterKey))
        .orderBy(key, asc(userArtists.artistId))
        .limit(size + 1),
      count,
    ]);
    return toPage(rows, size, total?.count ?? 0, order, (link) => link.artistId);
  }
  // The cursor keeps created_at as PostgreSQL prints it: a JS Date would drop the microseconds.
  const addedAt = sql<string>`${userArtists.createdAt}::text`;
  const afterKey = after ? sql`(${userArtists.createdAt}, ${userArtists.id}) < (${after.key}::timestamptz, ${after.id}::uuid)` : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select({ node: userArtists, key: addedAt })
      .from(userArtists)
      .where(and(filter, afterKey))
      .orderBy(desc(userArtists.createdAt), desc(userArtists.id))
      .limit(size + 1),
    count,
  ]);
  return toPage(rows, size, total?.count ?? 0, order, (link) => link.id);
}
