# Run by tools/harness.sh through `odoo shell` (stdin), where `env` is defined:
# prints the menus added by account_dunning and checks the admin/admin login.
# ruff: noqa: F821
MODULE = "account_dunning"

data = env["ir.model.data"].search(
    [("module", "=", MODULE), ("model", "=", "ir.ui.menu")]
)
menus = (
    env["ir.ui.menu"].with_context(lang="en_US").browse(data.mapped("res_id")).exists()
)
lines = sorted({m.complete_name.replace("/", " > ") for m in menus if m.active})
if lines:
    for line in lines:
        print(f"   {line}")
else:
    print("   (account_dunning defines no menu yet: see Invoicing > Customers)")

admin = env.ref("base.user_admin")
try:
    admin.with_user(admin)._check_credentials(
        {"type": "password", "password": "admin"}, {"interactive": False}
    )
except Exception:  # noqa: BLE001
    print("   WARNING: the admin password is not 'admin' in this database")
