"""Stand-in for RA-RFT's inference.py: writes inference_results_gpu{curr_idx}.json for its share."""
import argparse
import json
import os
import sys
import time

p = argparse.ArgumentParser()
p.add_argument("--model_path", required=True)
p.add_argument("--test_data_path", required=True)
p.add_argument("--output_dir", required=True)
p.add_argument("--preprocessed_data_path")
p.add_argument("--batch_size", type=int, default=8)
p.add_argument("--curr_idx", type=int, default=0)
p.add_argument("--total_idx", type=int, default=1)
a = p.parse_args()
pause = float(os.environ.get("STANDIN_STEP_SECONDS", "0.01"))

with open(a.test_data_path) as f:
    videos = json.load(f)
queries = [(v, q) for v in videos for q in v.get("GRPO", [])]
share = queries[a.curr_idx :: a.total_idx]
out = []
for n, (v, q) in enumerate(share, 1):
    if n % a.batch_size == 0:
        time.sleep(pause)
    ts = v.get("timestamp") or []
    if q.get("r") and len(ts) == 2:
        answer = f"<answer>{ts[0]} to {ts[1]}</answer>"
    else:
        answer = "<answer>The query does not match the video.</answer>"
    out.append({
        "video": v["video"],
        "query": q["q"],
        "model_output": f"<think>stand-in</think> {answer} <correction>NIL</correction>",
        "gt_relevant": bool(q.get("r")),
        "gt_timestamp": ts if q.get("r") else None,
        "gt_output": q.get("a", ""),
        "irrelevance_level": "",
        "gt_categories": q.get("c", []),
    })
    print(f"\rgpu{a.curr_idx}: {100 * n // len(share):3d}%| {n}/{len(share)} [00:00<00:00]", end="", file=sys.stderr, flush=True)
os.makedirs(a.output_dir, exist_ok=True)
path = os.path.join(a.output_dir, f"inference_results_gpu{a.curr_idx}.json")
with open(path + ".tmp", "w") as f:
    json.dump(out, f, indent=2)
os.replace(path + ".tmp", path)
print(file=sys.stderr)
print(f"shard {a.curr_idx}/{a.total_idx} on CUDA_VISIBLE_DEVICES={os.environ.get('CUDA_VISIBLE_DEVICES')}: {len(out)} results saved to {path}", flush=True)
