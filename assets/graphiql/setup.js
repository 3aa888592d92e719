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
      query: "query TopMovers {\n  topMovers(window: DAYS_28, first: 10) {\n    artist { name trackerCount }\n    startValue\n    endValue\n    changePercent\n  }\n  serviceInfo { simulatedData }\n}\n",
    },
  ];
  var fetcher = GraphiQL.createFetcher({ url: new URL("/graphql", window.location.href).toString() });
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
