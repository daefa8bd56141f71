import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maxLengthOf } from '../../../src/core/embed/modelFolder';

test('input limit: sentence_bert_config first, then tokenizer truncation, model_max_length, position table', () => {
  const bert = { model_type: 'bert', max_position_embeddings: 512 };
  assert.equal(
    maxLengthOf({
      sbert: { max_seq_length: 256 },
      tokenizerJson: { truncation: { max_length: 128 } },
      tokenizerConfig: { model_max_length: 512 },
      config: bert,
    }),
    256,
  );
  assert.equal(
    maxLengthOf({
      tokenizerJson: { truncation: { max_length: 128 } },
      tokenizerConfig: { model_max_length: 512 },
      config: bert,
    }),
    128,
  );
  assert.equal(
    maxLengthOf({ tokenizerJson: { truncation: null }, tokenizerConfig: { model_max_length: 1e30 }, config: bert }),
    512,
  );
  assert.equal(
    maxLengthOf({
      sbert: { max_seq_length: 384 },
      tokenizerJson: {},
      tokenizerConfig: {},
      config: { model_type: 'mpnet', max_position_embeddings: 514 },
    }),
    384,
  );
  assert.equal(
    maxLengthOf({
      tokenizerJson: {},
      tokenizerConfig: {},
      config: { model_type: 'mpnet', max_position_embeddings: 514 },
    }),
    512,
  );
  assert.equal(maxLengthOf({ tokenizerJson: {}, tokenizerConfig: {}, config: { max_position_embeddings: 64 } }), 64);
});
