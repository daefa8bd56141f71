/**
 * Builds BERT-shaped ONNX encoders with random weights and WordPiece tokenizer files, for the
 * embedding tests (a tiny model) and bench/embed.mjs (a MiniLM-sized one). Opset 17:
 * word + position + token-type embeddings, layer norm, self-attention layers with a padding
 * mask, an FFN with Gelu written via Erf; inputs input_ids / attention_mask / token_type_ids
 * (int64 [batch, sequence]), output last_hidden_state (float [batch, sequence, hidden]).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import p from 'onnx-proto';
import { rng } from '../../scripts/lib/random.mjs';

const { onnx } = p;

/** Shape of the encoder. */
export interface BertShape {
  vocabSize: number;
  hidden: number;
  layers: number;
  heads: number;
  intermediate: number;
  maxPositions: number;
  typeVocab?: number;
  /** PRNG seed: the same seed gives the same weights. */
  seed?: number;
  /** Leave the token_type_ids input out (as MPNet-style exports do). */
  noTokenTypes?: boolean;
}

/** The shape bench/embed.mjs measures: all-MiniLM-L6-v2's sizes. */
export const MINILM_SHAPE: BertShape = {
  vocabSize: 30522,
  hidden: 384,
  layers: 6,
  heads: 12,
  intermediate: 1536,
  maxPositions: 512,
  seed: 7,
};

type Attr = { name: string } & ({ i: number } | { f: number } | { ints: number[] });

function attr(a: Attr) {
  if ('i' in a)
    return onnx.AttributeProto.create({ name: a.name, type: onnx.AttributeProto.AttributeType.INT, i: a.i });
  if ('f' in a)
    return onnx.AttributeProto.create({ name: a.name, type: onnx.AttributeProto.AttributeType.FLOAT, f: a.f });
  return onnx.AttributeProto.create({ name: a.name, type: onnx.AttributeProto.AttributeType.INTS, ints: a.ints });
}

/** Builds the encoder as ONNX bytes. */
export function buildBertOnnx(shape: BertShape): Uint8Array {
  const { vocabSize, hidden: H, layers, heads, intermediate: F, maxPositions } = shape;
  const typeVocab = shape.typeVocab ?? 2;
  if (H % heads) throw new Error('hidden must be a multiple of heads');
  const dh = H / heads;
  const rand = rng(shape.seed ?? 1);
  const nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  const inits: InstanceType<typeof onnx.TensorProto>[] = [];
  let n = 0;

  const floatInit = (name: string, dims: number[], fill: (i: number) => number) => {
    const size = dims.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = fill(i);
    inits.push(
      onnx.TensorProto.create({
        name,
        dims,
        dataType: onnx.TensorProto.DataType.FLOAT,
        rawData: new Uint8Array(data.buffer),
      }),
    );
    return name;
  };
  const intInit = (name: string, values: number[]) => {
    const data = BigInt64Array.from(values, BigInt);
    inits.push(
      onnx.TensorProto.create({
        name,
        dims: [values.length],
        dataType: onnx.TensorProto.DataType.INT64,
        rawData: new Uint8Array(data.buffer),
      }),
    );
    return name;
  };
  const intScalar = (name: string, v: number) => {
    inits.push(
      onnx.TensorProto.create({
        name,
        dims: [],
        dataType: onnx.TensorProto.DataType.INT64,
        rawData: new Uint8Array(BigInt64Array.of(BigInt(v)).buffer),
      }),
    );
    return name;
  };
  const scalar = (name: string, v: number) => {
    inits.push(
      onnx.TensorProto.create({
        name,
        dims: [],
        dataType: onnx.TensorProto.DataType.FLOAT,
        rawData: new Uint8Array(new Float32Array([v]).buffer),
      }),
    );
    return name;
  };
  const weight = (name: string, dims: number[], scale: number) => floatInit(name, dims, () => (rand() * 2 - 1) * scale);
  const op = (opType: string, inputs: string[], attrs: Attr[] = [], output?: string) => {
    const out = output ?? `t${n++}`;
    nodes.push(
      onnx.NodeProto.create({
        opType,
        input: inputs,
        output: [out],
        name: `${opType}_${n++}`,
        attribute: attrs.map(attr),
      }),
    );
    return out;
  };
  const layerNorm = (x: string, prefix: string) =>
    op(
      'LayerNormalization',
      [x, floatInit(`${prefix}.gamma`, [H], () => 1 + (rand() - 0.5) * 0.2), weight(`${prefix}.beta`, [H], 0.05)],
      [
        { name: 'axis', i: -1 },
        { name: 'epsilon', f: 1e-12 },
      ],
    );
  const linear = (x: string, prefix: string, din: number, dout: number) =>
    op('Add', [
      op('MatMul', [x, weight(`${prefix}.w`, [din, dout], Math.sqrt(3 / din))]),
      weight(`${prefix}.b`, [dout], 0.05),
    ]);

  // Embeddings.
  const word = op('Gather', [weight('emb.word', [vocabSize, H], 1), 'input_ids']);
  const seqLen = op('Gather', [op('Shape', ['input_ids']), intScalar('c.one_index', 1)]);
  const positions = op('Range', [intScalar('c.zero', 0), seqLen, intScalar('c.one', 1)]);
  let x = op('Add', [word, op('Gather', [weight('emb.pos', [maxPositions, H], 1), positions])]);
  if (!shape.noTokenTypes) x = op('Add', [x, op('Gather', [weight('emb.type', [typeVocab, H], 1), 'token_type_ids'])]);
  x = layerNorm(x, 'emb.ln');

  // Additive mask [B, 1, 1, S]: 0 on tokens, -10000 on padding.
  const maskF = op('Cast', ['attention_mask'], [{ name: 'to', i: onnx.TensorProto.DataType.FLOAT }]);
  const maskBias = op('Unsqueeze', [
    op('Mul', [op('Sub', [scalar('c.f1', 1), maskF]), scalar('c.neg', -10000)]),
    intInit('c.axes12', [1, 2]),
  ]);
  const headsShape = intInit('c.heads_shape', [0, 0, heads, dh]);
  const mergedShape = intInit('c.merged_shape', [0, 0, H]);
  const invSqrt = scalar('c.inv_sqrt_dh', 1 / Math.sqrt(dh));
  const sqrt2 = scalar('c.sqrt2', Math.SQRT2);
  const half = scalar('c.half', 0.5);

  for (let l = 0; l < layers; l++) {
    const pre = `layer${l}`;
    const split = (t: string, perm: number[]) =>
      op('Transpose', [op('Reshape', [t, headsShape])], [{ name: 'perm', ints: perm }]);
    const q = split(linear(x, `${pre}.q`, H, H), [0, 2, 1, 3]);
    const k = split(linear(x, `${pre}.k`, H, H), [0, 2, 3, 1]);
    const v = split(linear(x, `${pre}.v`, H, H), [0, 2, 1, 3]);
    const scores = op('Add', [op('Mul', [op('MatMul', [q, k]), invSqrt]), maskBias]);
    const probs = op('Softmax', [scores], [{ name: 'axis', i: -1 }]);
    const ctx = op('Reshape', [
      op('Transpose', [op('MatMul', [probs, v])], [{ name: 'perm', ints: [0, 2, 1, 3] }]),
      mergedShape,
    ]);
    x = layerNorm(op('Add', [x, linear(ctx, `${pre}.o`, H, H)]), `${pre}.ln1`);
    const h = linear(x, `${pre}.ffn1`, H, F);
    const gelu = op('Mul', [
      op('Mul', [h, half]),
      op('Add', [op('Erf', [op('Div', [h, sqrt2])]), scalar(`${pre}.c1`, 1)]),
    ]);
    x = layerNorm(op('Add', [x, linear(gelu, `${pre}.ffn2`, F, H)]), `${pre}.ln2`);
  }
  op('Identity', [x], [], 'last_hidden_state');

  const int64Input = (name: string) =>
    onnx.ValueInfoProto.create({
      name,
      type: {
        tensorType: {
          elemType: onnx.TensorProto.DataType.INT64,
          shape: { dim: [{ dimParam: 'batch' }, { dimParam: 'sequence' }] },
        },
      },
    });
  const inputs = ['input_ids', 'attention_mask', ...(shape.noTokenTypes ? [] : ['token_type_ids'])].map(int64Input);
  const output = onnx.ValueInfoProto.create({
    name: 'last_hidden_state',
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: [{ dimParam: 'batch' }, { dimParam: 'sequence' }, { dimValue: H }] },
      },
    },
  });
  const graph = onnx.GraphProto.create({
    name: 'tiny_bert',
    node: nodes,
    initializer: inits,
    input: inputs,
    output: [output],
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'rarft-tests',
    opsetImport: [{ domain: '', version: 17 }],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

/** A BERT-style WordPiece tokenizer.json (lower-casing, punctuation split, [CLS] … [SEP]). */
export function wordPieceTokenizerJson(
  vocab: readonly string[],
  opts: { truncation?: number } = {},
): Record<string, unknown> {
  const ids: Record<string, number> = {};
  let next = 0;
  for (const t of [...SPECIALS, ...vocab]) if (!Object.hasOwn(ids, t)) ids[t] = next++;
  const special = (t: string) => ({
    id: ids[t],
    content: t,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return {
    version: '1.0',
    truncation: opts.truncation
      ? { direction: 'Right', max_length: opts.truncation, strategy: 'LongestFirst', stride: 0 }
      : null,
    padding: null,
    added_tokens: SPECIALS.map(special),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [ids['[CLS]']], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [ids['[SEP]']], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: ids,
    },
  };
}

/** The tiny test vocabulary: a few words, sub-word pieces and punctuation. */
export const TINY_VOCAB = [
  'a',
  'the',
  'man',
  'woman',
  'person',
  'is',
  'reading',
  'book',
  'on',
  'chair',
  'bed',
  'sits',
  'in',
  'room',
  'video',
  'not',
  'does',
  'show',
  'walk',
  '##s',
  '##ing',
  '##ed',
  'door',
  'window',
  'runs',
  'to',
  'cat',
  'dog',
  '.',
  ',',
  '!',
  '?',
  'no',
  'segment',
  'matches',
  'query',
  'red',
  'car',
  'towel',
  'clean',
];

/** Options of `writeModelFolder`. */
export interface ModelFolderOptions {
  shape: BertShape;
  vocab: readonly string[];
  /** Put the model at onnx/model.onnx (the hub layout) instead of model.onnx. */
  onnxSubfolder?: boolean;
  /** max_seq_length written to sentence_bert_config.json (omitted when undefined). */
  maxSeqLength?: number;
}

/** Writes a model folder laid out like a sentence-transformers ONNX export; returns its files. */
export async function writeModelFolder(dir: string, o: ModelFolderOptions): Promise<Record<string, Uint8Array>> {
  const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v, null, 2));
  const files: Record<string, Uint8Array> = {
    [o.onnxSubfolder ? 'onnx/model.onnx' : 'model.onnx']: buildBertOnnx(o.shape),
    'tokenizer.json': enc(wordPieceTokenizerJson(o.vocab)),
    'tokenizer_config.json': enc({
      do_lower_case: true,
      model_max_length: 512,
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      mask_token: '[MASK]',
      tokenizer_class: 'BertTokenizer',
    }),
    'config.json': enc({
      architectures: ['BertModel'],
      model_type: 'bert',
      hidden_size: o.shape.hidden,
      num_hidden_layers: o.shape.layers,
      num_attention_heads: o.shape.heads,
      intermediate_size: o.shape.intermediate,
      max_position_embeddings: o.shape.maxPositions,
      vocab_size: o.vocab.length + SPECIALS.length,
      pad_token_id: 0,
    }),
  };
  if (o.maxSeqLength !== undefined)
    files['sentence_bert_config.json'] = enc({ max_seq_length: o.maxSeqLength, do_lower_case: false });
  for (const [name, data] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), data);
  }
  return files;
}
