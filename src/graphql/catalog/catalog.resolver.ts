import { Arg, Authorized, Ctx, Field, FieldResolver, Float, Int, ObjectType, Query, Resolver, Root } from "type-graphql";
import { searchCatalog } from "../../domain/catalog.js";
import { GlobalArtist } from "../artist/global-artist.type.js";
import { PlatformAccount } from "../artist/platform-account.type.js";
import { requireRequester, type Context } from "../context.js";

@ObjectType()
export class CatalogArtist {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  imageUrl!: string | null;

  @Field(() => [PlatformAccount], { description: "Where it was found; trackArtist takes any of these ids." })
  accounts!: PlatformAccount[];

  @Field(() => Float, { nullable: true, description: "Followers or fans on the platform it was found on first (Deezer before Spotify), when the platform says." })
  audience!: number | null;

  artistId!: string | null;
}

@Authorized()
@Resolver(() => CatalogArtist)
export class CatalogResolver {
  @Query(() => [CatalogArtist], {
    description: "Artists on Deezer, and on Spotify with credentials, by name, to pick one to track; each search is one of the user's platform look-ups. Empty in the offline demo (PROVIDERS=simulated).",
  })
  async searchCatalog(@Arg("query", () => String) query: string, @Arg("first", () => Int, { nullable: true }) first: number | null, @Ctx() context: Context): Promise<CatalogArtist[]> {
    return (await searchCatalog(context.db, context.providers, requireRequester(context), query, first)) as CatalogArtist[];
  }

  @FieldResolver(() => GlobalArtist, { nullable: true, description: "The shared FanPulse artist, when someone tracks it already." })
  artist(@Root() found: CatalogArtist, @Ctx() { loaders }: Context) {
    return found.artistId ? loaders.artist.load(found.artistId) : null;
  }
}
