from . import dunning_launch_wizard
from . import dunning_launch_wizard_line
from . import dunning_aged_balance_wizard
