/** `rarft evaluate <items.json> --dry-run [--json] [judge options]`: what an evaluation would send, nothing judged or written. */
import { withoutJudgments } from '../../core/eval/evaluate';
import { estimateJudgeCost, planMessage } from '../../core/report/judgeEstimate';
import { planJudgeRequests } from '../../core/report/judgePlan';
import { readItemsFile } from '../io';
import { judgeTarget } from '../judgeOptions';

/** Prints the request plan (cache misses per step), the estimated tokens and, with `--price`, the cost; exit 0. */
export async function dryRun(input: string, values: Record<string, unknown>): Promise<number> {
  const target = judgeTarget(values);
  let items = await readItemsFile(input);
  if (values.rejudge) items = items.map(withoutJudgments);
  if (!target) {
    if (values.json)
      process.stdout.write(`${JSON.stringify({ judge: 'offline', items: items.length, requests: 0 })}\n`);
    else
      process.stdout.write(`${items.length} items: the offline judge sends no requests (--dry-run: nothing written)\n`);
    return 0;
  }
  const plan = await planJudgeRequests(items, {
    baseUrl: target.baseUrl,
    model: target.model,
    cacheDir: target.cacheDir,
    hybrid: target.name === 'hybrid',
  });
  const estimate = estimateJudgeCost(plan, target.price);
  if (values.json) {
    const { promptChars: _chars, ...requests } = plan;
    const out = { judge: target.name, model: target.model, base_url: target.baseUrl, ...requests, estimate };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else process.stdout.write(`${planMessage(plan, target)}\n--dry-run: nothing judged or written\n`);
  return 0;
}
