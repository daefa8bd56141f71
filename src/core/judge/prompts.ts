/**
 * The LLM judge's three prompts (FORMATS.md §4) and their structured-output schemas.
 * Written for this project; PROMPT_VERSION is part of every cache key and is recorded in
 * metrics, so change it whenever a prompt or schema changes.
 */
import { CATEGORIES } from '../taxonomy';

/** Version of the prompts and schemas below. Bump on any edit. */
export const PROMPT_VERSION = 'rarft-judge-v1';

/** The three LLM judge steps. */
export type JudgeStep = 'relevance' | 'categories' | 'reasoning';

/** A chat message as the chat-completions API takes it. */
export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

/** The `response_format` sent with each step's request. */
export interface JsonSchemaFormat {
  type: 'json_schema';
  json_schema: { name: string; strict: true; schema: Record<string, unknown> };
}

const RELEVANCE_SYSTEM = `You grade the final answer of a video temporal grounding model.
The model was shown a video and a text query. It had to either locate the moment the query
describes (giving a time span in seconds) or refuse, explaining that the query does not
match what happens in the video. The user message is the model's final answer and nothing else.

Decide which of the two the answer does:
- "relevant": the answer locates the query in the video, i.e. it commits to a time span.
  Report that span as [start, end] in seconds. If several spans are given, report the one
  the answer presents as its main or first answer.
- "irrelevant": the answer declines, says the described event, object, action, place or
  attribute is absent or different in the video, or gives no usable time span. Report span null.
An answer that mentions times only while explaining why the query does not fit is "irrelevant".
Judge only what the answer says; do not guess what the video shows.

Reply with one JSON object and nothing else: {"classification": "relevant" or "irrelevant", "span": [start, end] or null}.

Examples (answer => reply):
"12.5 to 17.0" => {"classification": "relevant", "span": [12.5, 17.0]}
"The person opens the door between 3 and 8.4 seconds." => {"classification": "relevant", "span": [3, 8.4]}
"The video never shows anyone cooking; the person only washes dishes at the sink." => {"classification": "irrelevant", "span": null}
"This query does not fit the clip: from 2.0 to 6.0 the man is sitting, he never stands up." => {"classification": "irrelevant", "span": null}`;

const CATEGORY_HINTS: Record<string, string> = {
  'Action/ActionSequence': 'the order of actions differs from the query',
  'Action/FineGrainedAction': 'the action is different or done differently than the query says',
  'Attribute/AttributeValue': 'a property such as colour, size, material or state differs',
  'Attribute/Comparison': 'a comparison the query makes (bigger, faster, more) does not hold',
  'Attribute/Counting': 'the number of people or things differs',
  'Object/ObjectExistence': 'an object the query names is not in the video',
  'Object/ObjectMoving': 'how or whether an object moves differs',
  'Object/ObjectPartRelation': 'a part-whole relation (a part of an object or body) differs',
  'Object/ObjectSpatialRelation': 'where things are relative to each other differs',
  'Scene/SceneExistence': 'the place or scene the query describes is not in the video',
  'Scene/SceneTransition': 'a change of scene or location the query describes does not happen',
};

const CATEGORIES_SYSTEM = `A video temporal grounding model refused a query because, in its view, the query does
not match the video. The user message is the model's explanation. List every kind of mismatch
the explanation names, using only these labels:
${CATEGORIES.map((c) => `- ${c}: ${CATEGORY_HINTS[c]}`).join('\n')}

Use the exact label strings. Name a label only when the explanation itself states that kind of
mismatch; an explanation that gives no reason gets an empty list.
Reply with one JSON object and nothing else: {"categories": [labels]}.

Example: "The clip shows a woman holding a cup, not a laptop, and she is in a kitchen rather than an office."
=> {"categories": ["Object/ObjectExistence", "Scene/SceneExistence"]}`;

const REASONING_SYSTEM = `You compare two explanations of why a text query does not match a video.
The user message holds the explanation written by a model (under MODEL) and a reference
explanation written by an annotator (under REFERENCE). Score how well the model's explanation
agrees with the reference on what is wrong with the query, from 0 to 5:
5 = names the same mismatches, with no false claims;
4 = the same main mismatch, minor omissions or extra detail;
3 = part of the mismatches, or the right idea stated vaguely;
2 = touches the right element but misstates what differs;
1 = refuses for reasons unrelated to the reference;
0 = no explanation, or it claims the query matches the video.
Reply with one JSON object and nothing else: {"score": number}.`;

/** Messages of step 1: the user message is exactly the answer text. */
export function relevanceMessages(answerText: string): ChatMessage[] {
  return [
    { role: 'system', content: RELEVANCE_SYSTEM },
    { role: 'user', content: answerText },
  ];
}

/** Messages of step 2: the user message is exactly the reasoning text. */
export function categoriesMessages(reasoningText: string): ChatMessage[] {
  return [
    { role: 'system', content: CATEGORIES_SYSTEM },
    { role: 'user', content: reasoningText },
  ];
}

/** Messages of step 3: reasoning text and GT text, each under its heading. */
export function reasoningMessages(reasoningText: string, gtText: string): ChatMessage[] {
  return [
    { role: 'system', content: REASONING_SYSTEM },
    { role: 'user', content: `MODEL:\n${reasoningText}\n\nREFERENCE:\n${gtText}` },
  ];
}

const obj = (properties: Record<string, unknown>) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});

/** Structured-output formats by step (strict JSON schema). */
export const RESPONSE_FORMATS: Record<JudgeStep, JsonSchemaFormat> = {
  relevance: {
    type: 'json_schema',
    json_schema: {
      name: 'rarft_relevance',
      strict: true,
      schema: obj({
        classification: { type: 'string', enum: ['relevant', 'irrelevant'] },
        span: { anyOf: [{ type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 }, { type: 'null' }] },
      }),
    },
  },
  categories: {
    type: 'json_schema',
    json_schema: {
      name: 'rarft_categories',
      strict: true,
      schema: obj({ categories: { type: 'array', items: { type: 'string', enum: [...CATEGORIES] } } }),
    },
  },
  reasoning: {
    type: 'json_schema',
    json_schema: { name: 'rarft_reasoning', strict: true, schema: obj({ score: { type: 'number' } }) },
  },
};
