#!/bin/bash
# stand-in for RA-RFT scripts/train_rarft.sh
