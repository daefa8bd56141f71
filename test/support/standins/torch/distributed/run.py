"""Stand-in for `python -m torch.distributed.run`: N local copies of the script, ranks in the environment."""
import os
import subprocess
import sys


def main(argv):
    nproc, rest = 1, []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a.startswith("--nproc_per_node="):
            nproc = int(a.split("=", 1)[1])
        elif a == "--nproc_per_node":
            nproc = int(argv[i + 1])
            i += 1
        elif a.startswith("--") and not rest and "=" in a:
            pass  # --nnodes=, --node_rank=, --master_addr=, --master_port=
        else:
            rest = argv[i:]
            break
        i += 1
    procs = []
    for rank in range(nproc):
        env = dict(os.environ, RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE=str(nproc))
        procs.append(subprocess.Popen([sys.executable] + rest, env=env))
    code = 0
    for p in procs:
        c = p.wait()
        code = code or c
    sys.exit(code)


if __name__ == "__main__":
    main(sys.argv[1:])
