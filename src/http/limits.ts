import type { ApolloServerPlugin, GraphQLRequest } from "@apollo/server";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import type { RequestHandler } from "express";
import { getVariableValues, GraphQLError, visit, type ASTNode, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode, type ValidationContext, type ValidationRule } from "graphql";
import { getComplexity, type ComplexityEstimator } from "graphql-query-complexity";
import { utcDay } from "../domain/days.js";
import { DEFAULT_PAGE_SIZE } from "../domain/pagination.js";
import { DEFAULT_SERIES_DAYS, MAX_SERIES_DAYS } from "../domain/series-range.js";
import { checkArguments, firstBadString } from "../graphql/argument-rules.js";
import type { Context } from "../graphql/context.js";
import { sendError } from "./http-errors.js";

export type RequestLimits = {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxComplexity: number;
  maxBodyBytes: number;
  maxBatch: number;
  maxResponseBytes: number;
};

/** Reports a rejection as a validation error (HTTP 400) whose message names the setting. */
const reportAs = (setting: string) => ({
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(new GraphQLError(`${error.message.replace(/^Syntax Error: /, "")} (${setting})`))],
});

/** Depth, aliases and directives are checked while validating, before anything runs. */
export function limitRules(limits: RequestLimits): ValidationRule[] {
  return [
    maxDepthRule({ ...reportAs("MAX_QUERY_DEPTH"), n: limits.maxDepth, ignoreIntrospection: true }),
    maxAliasesRule({ ...reportAs("MAX_ALIASES"), n: limits.maxAliases }),
    maxDirectivesRule({ ...reportAs("MAX_DIRECTIVES"), n: limits.maxDirectives }),
  ] as unknown as ValidationRule[];
}

/**
 * Every field costs 1 plus what it contains; a field taking `first` returns up to that many
 * items (20 when left out), so what it contains counts that many times; a daily series counts
 * each day of its range (90 when left out, at most 366).
 */
const listCost: ComplexityEstimator = ({ field, args, childComplexity }) =>
  field.args.some((a) => a.name === "first") ? 1 + (typeof args.first === "number" ? Math.max(0, args.first) : DEFAULT_PAGE_SIZE) * childComplexity : undefined;

const seriesCost: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!SERIES_FIELDS.has(field.name)) return undefined;
  const from = args.from instanceof Date ? args.from : null;
  const to = args.to instanceof Date ? args.to : null;
  const days = from && to ? Math.round((to.getTime() - from.getTime()) / 86_400_000) + 1 : from ? Math.round((Date.now() - from.getTime()) / 86_400_000) + 1 : DEFAULT_SERIES_DAYS;
  return 1 + Math.min(MAX_SERIES_DAYS, Math.max(1, days)) * Math.max(1, childComplexity);
};

/** The fields whose cost is the days they span. */
const SERIES_FIELDS = new Set(["metricSeries", "momentumHistory"]);

/** The arguments the estimators read. */
const COST_ARGUMENTS = new Set(["first", "from", "to"]);

/**
 * The variables that can change a document's cost, by name: those given to the arguments the
 * estimators read, and those of directives (`@include(if: $x)` decides whether a field counts).
 */
function costVariablesOf(document: DocumentNode): string[] {
  const names = new Set<string>();
  const collect = (node: ASTNode) => visit(node, { Variable: (variable) => void names.add(variable.name.value) });
  visit(document, {
    Directive(directive) {
      collect(directive);
      return false;
    },
    Argument(argument) {
      if (COST_ARGUMENTS.has(argument.name.value)) collect(argument);
      return false;
    },
  });
  return [...names].sort();
}

/** Variable sets remembered per document, and how long their key may be: enough for a client's reads, bounded for any client. */
const CHECKED_PER_DOCUMENT = 100;
const CHECKED_KEY_MAX = 1_000;

/**
 * Once an operation is known and its variables coerced: the rules every argument obeys, then
 * the operation's estimated cost, counted with the other operations of its batch against one
 * budget. Variables that do not coerce are left to Apollo, which reports them as the spec's 400.
 * The cost depends only on the document (Apollo keeps one object per query text), the operation,
 * the variables given to `first`, `from`, `to` and directives, and the day, so the cost of a
 * combination that passed is remembered (a chart asked for artist after artist is one
 * combination): walking the document with its types again was 3% of a busy server's time on the
 * frontend's reads. The argument rules depend on every variable, so the coerced variables are
 * checked on every request.
 */
export function requestRulesPlugin(schema: GraphQLSchema, maxComplexity: number): ApolloServerPlugin<Context> {
  const checked = new WeakMap<DocumentNode, { costVariables: string[]; costs: Map<string, number> }>();
  const costOf = (request: GraphQLRequest, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number => {
    checkArguments(schema, document, operation, variables);
    return getComplexity({
      schema,
      query: document,
      operationName: request.operationName,
      // It coerces them again itself: raw, as they came.
      variables: request.variables ?? {},
      estimators: [seriesCost, listCost, ({ childComplexity }) => 1 + childComplexity],
    });
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation, contextValue }) {
          if (!operation) return;
          const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          if (coerced.errors) return;
          const variables = coerced.coerced;
          let known = checked.get(document);
          if (!known) checked.set(document, (known = { costVariables: costVariablesOf(document), costs: new Map<string, number>() }));
          // Coerced, so with their defaults; a variable left out and one given as null can cost differently (an argument's own default).
          const costInputs = known.costVariables.map((name) => (name in variables ? [variables[name]] : []));
          // A series given only `from` costs a day more every day: a cost holds for the UTC day it was computed on.
          const key = `${utcDay()}\u0000${request.operationName ?? ""}\u0000${JSON.stringify(costInputs)}`;
          // The argument rules hold for the document's own values once its cost is known; the variables are checked every time.
          let cost = firstBadString(variables, "variables") ? undefined : known.costs.get(key);
          if (cost === undefined) {
            cost = costOf(request, document, operation, variables);
            if (key.length <= CHECKED_KEY_MAX) {
              if (known.costs.size >= CHECKED_PER_DOCUMENT) known.costs.clear();
              known.costs.set(key, cost);
            }
          }
          const spent = (contextValue.complexity.spent += cost);
          if (spent > maxComplexity) {
            const batch = spent === cost ? "" : ` (${spent} with the operations before it in this batch)`;
            throw new GraphQLError(`Query complexity limit (MAX_QUERY_COMPLEXITY) of ${maxComplexity} exceeded: this operation costs ${cost}${batch}`, {
              extensions: { code: "GRAPHQL_VALIDATION_FAILED", http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

/** Batched requests (a JSON array of operations) up to the limit; 1 turns batching off. */
export function batchLimit(maxBatch: number): RequestHandler {
  return (req, res, next) => {
    if (Array.isArray(req.body) && req.body.length > maxBatch) {
      const message =
        maxBatch <= 1 ? "Batched requests are not accepted (MAX_BATCH is 1)" : `A batch holds at most ${maxBatch} operations (MAX_BATCH); this one has ${req.body.length}`;
      sendError(res, 400, "BAD_REQUEST", message);
      return;
    }
    next();
  };
}
