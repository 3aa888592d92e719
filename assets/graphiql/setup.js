// Mounts GraphiQL on the FanPulse API with a few operations to start from.
(function () {
  var examples = [
    {
      query:
        "# Sign in, then put the token in the Headers tab:\n#   { \"Authorization\": \"Bearer <token>\" }\nmutation SignIn {\n  signIn(input: { email: \"demo@fanpulse.local\", password: \"fanpulse-demo\" }) {\n    token\n    user { id email displayName }\n  }\n}\n",
    },
    {
      query:
        "mutation TrackArtist {\n  trackArtist(input: { spotifyId: \"https://open.spotify.com/artist/4Z8W4fKeB5YxbusRsdQVPb\" }) {\n    id\n    artist { id name genres trackerCount }\n  }\n}\n",
    },
    {
      query:
        "query MyArtistsByMomentum {\n  myArtists(first: 20, orderBy: MOMENTUM_DESC) {\n    totalCount\n    edges {\n      node {\n        isFavorite\n        artist {\n          name\n          momentum { score category growth7d growth28d }\n          latestMetrics { platform metric value }\n        }\n      }\n    }\n  }\n}\n",
    },
    {
      query:
        "query Dashboard {\n  dashboard {\n    trackedCount\n    favoriteCount\n    momentumCategories { category count }\n    biggestMovers(window: DAYS_7, first: 5) { artist { name } change changePercent }\n  }\n}\n",
    },
    {
      query:
        "# Every artist you track (leave artistId out), or one: artistId: \"<id from myArtists>\"\nmutation AlertOnBreakout {\n  createAlertRule(input: { kind: CATEGORY_REACHED, category: EXPLOSIVE }) {\n    id\n    kind\n    category\n    artist { name }\n  }\n}\n",
    },
    {
      query:
        "query Inbox {\n  notifications(first: 20, unreadOnly: true) {\n    unreadCount\n    edges {\n      node { id kind day message createdAt artist { name } }\n    }\n  }\n  alertRules { id kind category threshold window artist { name } }\n}\n",
    },
    {
      query:
        "# Live: each new notification as it is made (run it, then wait for an artist to cross a rule)\nsubscription LiveAlerts {\n  notificationAdded {\n    kind\n    day\n    message\n    artist { name }\n  }\n}\n",
    },
    {
      query: "query TopMovers {\n  topMovers(window: DAYS_28, first: 10) {\n    artist { name trackerCount }\n    startValue\n    endValue\n    changePercent\n  }\n  serviceInfo { simulatedData }\n}\n",
    },
  ];
  var url = new URL("/graphql", window.location.href);
  var overHttp = GraphiQL.createFetcher({ url: url.toString() });
  var socketUrl = url.toString().replace(/^http/, "ws");
  // Subscriptions go over graphql-ws, with the Headers tab's Authorization sent as the connection's credentials.
  function fetcher(params, options) {
    var operation = (params.operationName ? new RegExp("subscription\\s+" + params.operationName + "\\b") : /^\s*subscription\b/m).test(params.query);
    if (!operation) return overHttp(params, options);
    var headers = (options && options.headers) || {};
    var client = graphqlWs.createClient({ url: socketUrl, connectionParams: { authorization: headers.Authorization || headers.authorization }, lazy: true });
    return {
      subscribe: function (observer) {
        var stop = client.subscribe(params, {
          next: function (value) { observer.next(value); },
          error: function (error) { observer.error(error); },
          complete: function () { observer.complete(); },
        });
        return { unsubscribe: function () { stop(); client.dispose(); } };
      },
    };
  }
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: examples,
      defaultHeaders: JSON.stringify({ Authorization: "Bearer <paste the token from signIn>" }, null, 2),
      defaultEditorToolsVisibility: "headers",
      shouldPersistHeaders: true,
    }),
  );
})();
