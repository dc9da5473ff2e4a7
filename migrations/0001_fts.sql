-- Full-text index over topics, dimensions and facts (FTS5, bm25 ranking).
-- Filled by the seed loader and kept current by the write API; `ref` is a topic slug, a dimension key
-- (`topic/slug`) or a fact id. Porter stemming makes plurals and verb forms match.
CREATE VIRTUAL TABLE `search_index` USING fts5(
  `kind` UNINDEXED,
  `ref` UNINDEXED,
  `provider` UNINDEXED,
  `topic` UNINDEXED,
  `dimension` UNINDEXED,
  `title`,
  `body`,
  `keywords`,
  tokenize = 'porter unicode61 remove_diacritics 2',
  prefix = '2 3'
);
