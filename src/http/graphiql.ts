import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Router } from "express";
import express from "express";

const require = createRequire(import.meta.url);
/** A file of an installed package, whatever its `exports` map lets through. */
const packageFile = (name: string, file: string) => join(dirname(require.resolve(`${name}/package.json`)), file);

/** GraphiQL and React from the installed packages: the page needs no network beyond this server. */
const ASSETS: Record<string, { path: string; type: string }> = {
  "react.js": { path: packageFile("react", "umd/react.production.min.js"), type: "text/javascript" },
  "react-dom.js": { path: packageFile("react-dom", "umd/react-dom.production.min.js"), type: "text/javascript" },
  "graphiql.js": { path: packageFile("graphiql", "graphiql.min.js"), type: "text/javascript" },
  "graphiql.css": { path: packageFile("graphiql", "graphiql.min.css"), type: "text/css" },
  "graphql-ws.js": { path: packageFile("graphql-ws", "umd/graphql-ws.min.js"), type: "text/javascript" },
  "setup.js": { path: fileURLToPath(new URL("../../assets/graphiql/setup.js", import.meta.url)), type: "text/javascript" },
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>FanPulse API · GraphiQL</title>
  <link rel="stylesheet" href="/graphiql/assets/graphiql.css">
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/graphiql/assets/react.js"></script>
  <script src="/graphiql/assets/react-dom.js"></script>
  <script src="/graphiql/assets/graphiql.js"></script>
  <script src="/graphiql/assets/graphql-ws.js"></script>
  <script src="/graphiql/assets/setup.js"></script>
</body>
</html>
`;

export function graphiqlRoutes(): Router {
  const router = express.Router();
  const files = new Map(Object.entries(ASSETS).map(([name, asset]) => [name, { body: readFileSync(asset.path), type: asset.type }]));
  router.get("/graphiql", (_req, res) => {
    res.type("html").send(PAGE);
  });
  router.get("/graphiql/assets/:name", (req, res) => {
    const file = files.get(req.params.name);
    if (!file) {
      res.sendStatus(404);
      return;
    }
    res.type(file.type).set("cache-control", "public, max-age=3600").send(file.body);
  });
  return router;
}
