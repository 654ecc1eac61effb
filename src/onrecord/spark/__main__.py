"""`python -m onrecord.spark INPUT... OUTPUT`: the same as `onrecord spark`."""

import sys

from onrecord.spark.submit import main

sys.exit(main())
