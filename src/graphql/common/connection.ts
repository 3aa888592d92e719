import type { ClassType } from "type-graphql";
import { Field, Int, ObjectType } from "type-graphql";
import type { Page } from "../../domain/pagination.js";

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export type ConnectionShape<TNode> = {
  edges: { cursor: string; node: TNode }[];
  pageInfo: PageInfo;
  /** Null only when the selection does not ask for it, so never read. */
  totalCount: number | null;
};

/** A Relay connection and its edge type for one node type, named `<name>Connection` and `<name>Edge`. */
export function connectionType<TNode extends object>(name: string, nodeType: ClassType<TNode>) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(() => nodeType)
    node!: TNode;
  }

  @ObjectType(`${name}Connection`, { simpleResolvers: true })
  class Connection {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int)
    totalCount!: number;
  }
  return Connection;
}

export function toConnection<TNode>(page: Page<TNode, number | null>): ConnectionShape<TNode> {
  return {
    edges: page.items,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    totalCount: page.totalCount,
  };
}
