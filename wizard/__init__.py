from . import dunning_launch_wizard
from . import dunning_launch_wizard_line
