import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { alertRulesOf, createAlertRule, deleteAlertRule } from "../../domain/alerts/rules.js";
import { GlobalArtist } from "../artist/global-artist.type.js";
import { requireViewer, type Context } from "../context.js";
import { AlertRule } from "./alert-rule.type.js";
import { CreateAlertRuleInput } from "./alerts.inputs.js";

@Authorized()
@Resolver(() => AlertRule)
export class AlertRulesResolver {
  @Query(() => [AlertRule], { description: "The signed-in user's alert rules." })
  alertRules(@Ctx() context: Context) {
    return alertRulesOf(context.db, requireViewer(context));
  }

  @Mutation(() => AlertRule, {
    description: `A rule on an artist the user tracks, or on every artist they track (artistId left out); at most 100 per user. Creating a rule the user already has returns it.`,
  })
  createAlertRule(@Arg("input", () => CreateAlertRuleInput) input: CreateAlertRuleInput, @Ctx() context: Context) {
    return createAlertRule(context.db, requireViewer(context), { ...input, windowDays: input.window });
  }

  @Mutation(() => Boolean, { description: "True when the rule was deleted; its notifications stay, with rule null." })
  deleteAlertRule(@Arg("id", () => ID) id: string, @Ctx() context: Context) {
    return deleteAlertRule(context.db, requireViewer(context), id);
  }

  @FieldResolver(() => GlobalArtist, { nullable: true, description: "Null: every artist the user tracks." })
  artist(@Root() rule: AlertRule, @Ctx() { loaders }: Context) {
    return rule.artistId ? loaders.artist.load(rule.artistId) : null;
  }
}
