import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, Resolver } from "type-graphql";
import { linkPlatformAccount, unlinkPlatformAccount } from "../../domain/linking.js";
import { requireRequester, requireViewer, type Context } from "../context.js";
import { Platform } from "../enums.js";
import { GlobalArtist } from "./global-artist.type.js";

@InputType()
export class LinkPlatformAccountInput {
  @Field(() => ID)
  artistId!: string;

  @Field(() => Platform)
  platform!: Platform;

  @Field(() => String, { description: "The artist's id on that platform (Deezer: the number in deezer.com/artist/<id>)." })
  externalId!: string;
}

@Authorized()
@Resolver()
export class LinkingResolver {
  @Mutation(() => GlobalArtist, {
    description:
      "Link an artist you track to its account on another platform, once that platform confirms the account exists under the artist's name (case, accents, punctuation and a leading 'The' aside). The artist may hold one account per platform.",
  })
  async linkPlatformAccount(@Arg("input", () => LinkPlatformAccountInput) input: LinkPlatformAccountInput, @Ctx() context: Context) {
    const artistId = await linkPlatformAccount(context.db, context.providers, requireRequester(context), input);
    return context.loaders.artist.load(artistId);
  }

  @Mutation(() => GlobalArtist, {
    description: "Remove an account you linked (USER); its figures stop counting in the artist's audience. Links a source confirmed stay.",
  })
  async unlinkPlatformAccount(@Arg("artistId", () => ID) artistId: string, @Arg("platform", () => Platform) platform: Platform, @Ctx() context: Context) {
    const id = await unlinkPlatformAccount(context.db, requireViewer(context), { artistId, platform });
    return context.loaders.artist.load(id);
  }
}
