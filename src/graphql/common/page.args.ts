import { ArgsType, Field, Int } from "type-graphql";

/** Forward pagination of a Relay connection. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: "At most 100; 20 when left out." })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "An endCursor or cursor this list returned." })
  after?: string | null;
}
