from . import dunning_letter
from . import dunning_aged_balance
from . import dunning_dso_report
from . import dunning_recovery_report
from . import dunning_reminder_report
from . import dunning_payment_behaviour
