#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["run_mosip_sandbox"]:
        # The MOSIP sandbox stands in for another system: it runs under its own
        # settings (apps/mosip_sandbox/README.md), whatever the portal's are.
        os.environ["DJANGO_SETTINGS_MODULE"] = "apps.mosip_sandbox.django_settings"
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crvs_portal.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
