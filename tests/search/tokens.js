// Prints the tokens and shard numbers search.js gives each string of a JSON list read from
// stdin: [{"tokens":[[text,cjk],…],"shards":[…]},…], for comparison with the Rust tokenizer.
'use strict';
const search = require('../../themes/default/static/search.js');
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = input.strings.map((s) => {
  const tokens = search.tokens(s);
  return {
    tokens: tokens.map((t) => [t.text, t.cjk]),
    shards: tokens.map((t) => search.shardOf(search.shardKey(t.text, t.cjk), input.shards)),
  };
});
process.stdout.write(JSON.stringify(out));
