"""Stand-in for RA-RFT's main_rarft.py: prints the trainer's log shapes and saves checkpoints."""
import argparse
import json
import math
import os
import sys
import time

p = argparse.ArgumentParser()
p.add_argument("--deepspeed")
p.add_argument("--output_dir", required=True)
p.add_argument("--model_name_or_path", required=True)
p.add_argument("--train_data_path", required=True)
p.add_argument("--num_generations", type=int, default=8)
p.add_argument("--reward_funcs", nargs="+", default=["format", "refuse_iou", "explain_correction"])
p.add_argument("--save_steps", type=int, default=50)
p.add_argument("--num_train_epochs", type=float, default=1)
p.add_argument("--per_device_train_batch_size", type=int, default=1)
p.add_argument("--gradient_accumulation_steps", type=int, default=1)
p.add_argument("--learning_rate", default="1e-6")
p.add_argument("--resume_from_checkpoint")
p.add_argument("--max_steps", type=int, default=int(os.environ.get("STANDIN_STEPS", "6")))
p.add_argument("--standin_fail_at", type=int, default=int(os.environ.get("STANDIN_FAIL_AT", "0")))
a, unknown = p.parse_known_args()

rank = int(os.environ.get("RANK", os.environ.get("SLURM_PROCID", "0")))
world = int(os.environ.get("WORLD_SIZE", os.environ.get("SLURM_NTASKS", "1")))
steps = a.max_steps
pause = float(os.environ.get("STANDIN_STEP_SECONDS", "0.05"))
fail_at = a.standin_fail_at
print(f"rank {rank} of {world} (model {a.model_name_or_path}, data {a.train_data_path})", flush=True)
if unknown:
    print(f"extra arguments: {unknown}", flush=True)

start, history = 0, []
if a.resume_from_checkpoint:
    with open(os.path.join(a.resume_from_checkpoint, "trainer_state.json")) as f:
        state = json.load(f)
    start, history = state["global_step"], state["log_history"]
    print(f"Resuming from checkpoint {a.resume_from_checkpoint} at step {start}", flush=True)

t0 = time.time()
for step in range(start + 1, steps + 1):
    time.sleep(pause)
    if fail_at and step == fail_at:
        print("RuntimeError: CUDA out of memory (stand-in)", file=sys.stderr, flush=True)
        sys.exit(3)
    if rank != 0:
        continue
    g = a.num_generations
    rewards = {f: [round(((step * 7 + i * 3 + k) % 10) / 10, 2) for i in range(g)] for k, f in enumerate(a.reward_funcs)}
    print(f"Query: person opens the door number {step}.", flush=True)
    print("Task Type: " + ("answerable" if step % 2 else "refusable"), flush=True)
    print(f"Generated Completions ({g}):", flush=True)
    for i in range(g):
        print(f"  [{i}] <answer>{i}.0 to {i + 5}.5</answer>", flush=True)
    for f, r in rewards.items():
        print(f"reward_{f}: {r}", flush=True)
    total = [sum(r[i] for r in rewards.values()) for i in range(g)]
    mean = sum(total) / g
    std = math.sqrt(sum((x - mean) ** 2 for x in total) / (g - 1)) if g > 1 else 0.0
    entry = {"loss": round(0.01 * step, 4), "grad_norm": float("nan") if step == 3 else 0.5, "learning_rate": 1e-06,
             "reward": round(mean, 4), "reward_std": round(std, 4)}
    for f, r in rewards.items():
        entry[f"rewards/{f}"] = round(sum(r) / g, 4)
    entry.update({"kl": None if step == 1 else 0.001 * step, "completion_length": 40.0 + step, "epoch": round(step / steps, 2)})
    print(repr(entry), flush=True)
    pct = int(100 * step / steps)
    print(f"\r{pct:3d}%|{'#' * (pct // 10):<10}| {step}/{steps} [00:0{step}<00:01, 1.00it/s]", end="", file=sys.stderr, flush=True)
    history.append(dict(entry, step=step))
    if step % a.save_steps == 0 or step == steps:
        ck = os.path.join(a.output_dir, f"checkpoint-{step}")
        os.makedirs(ck, exist_ok=True)
        with open(os.path.join(ck, "trainer_state.json"), "w") as f:
            json.dump({"global_step": step, "log_history": history}, f)
        print(f"Saving model checkpoint to {ck}", flush=True)
if rank == 0:
    print(file=sys.stderr, flush=True)
    print(repr({"train_runtime": round(time.time() - t0, 3), "train_samples_per_second": 1.0, "train_loss": 0.02}), flush=True)
