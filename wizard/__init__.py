from . import dunning_launch_wizard
from . import dunning_launch_wizard_line
from . import dunning_aged_balance_wizard
from . import dunning_manual_wizard
from . import dunning_manual_wizard_line
from . import dunning_dispute_wizard
from . import dunning_auto_page
