/**
 * Every tuning number of ask's ranking, in one place. `npm run eval -- --weight name=value` overrides any of
 * them for one run, so a change is measured on the eval questions before it is made here. The field weights
 * are read when a snapshot's index is built, the rest on every question.
 */
export const WEIGHTS = {
  // how strongly a word in a field of the vocabulary says "this is what the question is about"
  topicName: 2,
  topicSummary: 0.5,
  dimTitle: 2,
  dimSlug: 1.5,
  keyword: 2,
  question: 1,
  value: 0.75,
  tag: 0.5,

  /** a phrase (alias, keyword, title) whose words all occur earns this share of its words' weight again */
  phraseBonus: 0.75,
  /** two question words side by side that also stand side by side in a phrase earn this share of their weight again */
  bigramBonus: 0.5,
  /** what a dimension's prose (baseline, divergence, fact details) adds, for the best prose hit */
  proseDimension: 4,
  /** what a topic's share of the prose hits adds, for the topic with the largest share */
  proseTopic: 1,
  /** how fast repeats of a word in prose stop counting: a word seen this often counts half of its limit */
  proseSaturation: 1.2,
  /** the topics, best first by the vocabulary, whose prose is read */
  candidateTopics: 4,
  /** how much a match on the topic's own names (title, aliases) counts beside its best dimension's match */
  topicOwn: 0.5,
  /** how much a topic's second-best dimension counts */
  secondDimension: 0.25,
  /** how much a dimension is lifted by the match on its topic's own names */
  dimensionTopicLift: 0.5,
  /** what a word read from a typo ("bread" as "break") counts, as a share of the word typed as it is */
  corrected: 0.5,
  /** below this score nothing matched: one content word of ordinary specificity scores about 4 */
  minScore: 2,

  /** a runner-up topic is named when it scores at least this share of the best topic */
  runnerUpTopic: 0.6,
  /** the best topic's rows always shown, so a question about a whole topic gets its headline rows */
  topRows: 3,
  /** further rows of the best topic are shown when they score this share of its best row */
  topRowShare: 0.35,
  /** rows of runner-up topics are shown when they score this share of the best topic's best row */
  otherTopicRowShare: 0.8,
};
