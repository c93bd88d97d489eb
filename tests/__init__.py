from . import test_dunning_config
from . import test_dunning_engine
from . import test_dunning_launch
from . import test_res_partner
from . import test_i18n
