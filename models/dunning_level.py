# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, LazyTranslate

_lt = LazyTranslate(__name__)

# The channels of a reminder, in the order they are executed and listed:
# (key stored on batch lines, field of the level that enables it, label).
# The level constraint, the sender, the labels and the reports read this table.
CHANNELS = (
    ("email", "send_email", _lt("email")),
    ("letter", "print_letter", _lt("letter")),
    ("post", "send_post", _lt("post")),
    ("sms", "send_sms", _lt("SMS")),
    ("warning", "add_sale_warning", _lt("sales warning")),
    ("activity", "create_activity", _lt("activity")),
)
# a reminder recorded without any channel (manual follow-up, "Done")
MANUAL_CHANNEL = ("manual", _lt("manual follow-up"))

# Letter file name: a plain pattern with named placeholders, never a template
# (it is rendered by whoever executes the batch, the cron included).
# ``{{ object.name }}``, the former default, still means the customer's name.
FILENAME_PLACEHOLDER = re.compile(r"\{\{\s*object\.name\s*\}\}|\{(\w*)\}")
FILENAME_PLACEHOLDERS = ("customer", "ref", "level", "marker", "company")
DEFAULT_FILENAME = "Dunning-{customer}.pdf"  # in the customer's language
# Bounds of a level's delay (days), positive or negative: ten years
MAX_DELAY = 3650

# The fields that make a level "do something".
LEVEL_ACTION_FIELDS = tuple(fname for _key, fname, _label in CHANNELS)


def channel_labels(lang):
    """``{channel key: label}`` in ``lang``."""
    labels = {key: label._translate(lang) for key, _fname, label in CHANNELS}
    labels[MANUAL_CHANNEL[0]] = MANUAL_CHANNEL[1]._translate(lang)
    return labels


def channels_text(keys, lang):
    """The channels ``keys`` (a list, or the stored text "email, letter") as
    the text shown to users in ``lang`` ("e-mail, courrier")."""
    if isinstance(keys, str):
        keys = [key.strip() for key in keys.split(",")]
    labels = channel_labels(lang or "en_US")
    return ", ".join(str(labels.get(key, key)) for key in keys if key)


class DunningLevel(models.Model):
    """One step of a follow-up strategy: when it applies and what it does."""

    _name = "dunning.level"
    _description = "Follow-up Level"
    _order = "strategy_id, delay, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    strategy_id = fields.Many2one(
        comodel_name="dunning.strategy",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="strategy_id.company_id", store=True, index=True
    )
    delay = fields.Integer(
        string="Days Overdue",
        required=True,
        default=5,
        help="Number of days after the due date when this level applies. "
        "A negative number reminds the customer before the due date.",
    )
    marker_id = fields.Many2one(
        comodel_name="dunning.marker",
        string="Marker",
        ondelete="restrict",
        check_company=True,
    )
    # Email
    send_email = fields.Boolean(string="Send an Email")
    mail_template_id = fields.Many2one(
        comodel_name="mail.template",
        string="Email Template",
        domain=[("model", "=", "res.partner")],
        ondelete="restrict",
    )
    letter_filename = fields.Char(
        string="Letter File Name",
        default=DEFAULT_FILENAME,
        help="Name of the letter attached to the email. Placeholders: "
        "{customer} (name of the customer), {ref} (its reference), {level}, "
        "{marker} and {company}. Plain text: no code is evaluated.",
    )
    attach_invoices = fields.Boolean(
        string="Attach Overdue Invoices",
        help="Attach the PDF of every overdue invoice to the email.",
    )
    # Letter and post
    print_letter = fields.Boolean(string="Print a Letter")
    send_post = fields.Boolean(
        string="Send by Post",
        help="Send the letter by post (through Snailmail when it is installed; "
        "otherwise the letter is flagged to post and added to the batch's "
        "printable letters).",
    )
    letter_text = fields.Html(
        translate=True,
        help="Text of the printed letter, above the table of overdue items. "
        "Placeholders: {customer}, {contact}, {company}, {date} (letter date), "
        "{level}, {total_due}, {total_overdue}, {oldest_due_date}, "
        "{interest_rate}, {interest}, {indemnity}.",
    )
    letter_subject = fields.Char(
        translate=True,
        help="Subject of the letter. Leave empty for the default by rank: "
        "friendly reminder (first level), formal notice (last level of a "
        "strategy with three levels or more), formal reminder otherwise.",
    )
    show_legal_mentions = fields.Boolean(
        help="Show the late-payment interest and the flat recovery indemnity "
        "on the letter, when the company enables the legal mentions.",
    )
    formal_notice = fields.Boolean(
        help="The letter is a formal notice to pay (mise en demeure), sent by "
        'registered post: it is headed "Registered letter with acknowledgement '
        'of receipt" and closes with the formal salutation.',
    )
    # SMS
    send_sms = fields.Boolean(string="Send an SMS")
    sms_template_id = fields.Many2one(
        comodel_name="sms.template",
        string="SMS Template",
        domain=[("model", "=", "res.partner")],
        ondelete="restrict",
    )
    # Sales warning
    add_sale_warning = fields.Boolean(string="Add a Sales Warning")
    sale_warning_message = fields.Text(string="Sales Warning Message", translate=True)
    # Activity
    create_activity = fields.Boolean(string="Schedule an Activity")
    activity_type_id = fields.Many2one(
        comodel_name="mail.activity.type", string="Activity Type"
    )
    activity_summary = fields.Char(translate=True)
    activity_note = fields.Html(translate=True)
    activity_responsible = fields.Selection(
        selection=[
            ("followup", "Follow-up Responsible"),
            ("salesperson", "Salesperson of the Invoice"),
            ("user", "Specific User"),
        ],
        default="followup",
        required=True,
    )
    activity_user_id = fields.Many2one(comodel_name="res.users", string="Activity User")
    # Automation
    auto_execute = fields.Boolean(
        string="Execute Automatically",
        help="The daily automatic follow-up executes this level for every "
        "customer due for it.",
    )

    @api.constrains("name", "strategy_id", "delay", *LEVEL_ACTION_FIELDS)
    def _check_has_action(self):
        for level in self:
            if not any(level[fname] for fname in LEVEL_ACTION_FIELDS):
                raise ValidationError(
                    self.env._(
                        "The follow-up level %(level)s does nothing: choose at least "
                        "one action (email, letter, SMS, post, sales warning or "
                        "activity).",
                        level=level.name,
                    )
                )

    @api.constrains("send_email", "mail_template_id", "send_sms", "sms_template_id")
    def _check_templates(self):
        for level in self:
            if level.send_email and not level.mail_template_id:
                raise ValidationError(
                    self.env._(
                        "The follow-up level %(level)s sends an email: choose its "
                        "email template.",
                        level=level.name,
                    )
                )
            if level.send_sms and not level.sms_template_id:
                raise ValidationError(
                    self.env._(
                        "The follow-up level %(level)s sends an SMS: choose its "
                        "SMS template.",
                        level=level.name,
                    )
                )

    @api.constrains("create_activity", "activity_responsible", "activity_user_id")
    def _check_activity_user(self):
        for level in self:
            if (
                level.create_activity
                and level.activity_responsible == "user"
                and not level.activity_user_id
            ):
                raise ValidationError(
                    self.env._(
                        "The follow-up level %(level)s schedules an activity for a "
                        "specific user: choose that user.",
                        level=level.name,
                    )
                )

    @api.constrains("delay", "name", "strategy_id")
    def _check_unique_in_strategy(self):
        for strategy in self.strategy_id:
            levels = strategy.level_ids
            delays = levels.mapped("delay")
            for level in levels & self:
                if delays.count(level.delay) > 1:
                    raise ValidationError(
                        self.env._(
                            "Two levels of the strategy %(strategy)s have the same "
                            "delay (%(delay)s days): each level needs its own delay.",
                            strategy=strategy.name,
                            delay=level.delay,
                        )
                    )
                if len(levels.filtered(lambda lv, lvl=level: lv.name == lvl.name)) > 1:
                    raise ValidationError(
                        self.env._(
                            "Two levels of the strategy %(strategy)s are named "
                            "%(name)s: each level needs its own name.",
                            strategy=strategy.name,
                            name=level.name,
                        )
                    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        """A level that reminded customers is history: refuse to delete it
        (batches and journal items keep pointing to it)."""
        used = self._get_used_levels()
        if used:
            raise UserError(
                self.env._(
                    "The follow-up level %(levels)s was already used to remind "
                    "customers: it cannot be deleted. Archive its strategy instead.",
                    levels=", ".join(used.mapped("display_name")),
                )
            )

    def _get_used_levels(self):
        """Levels of ``self`` referenced by a batch, a batch line or a
        journal item."""
        if not self:
            return self
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT level_id FROM dunning_batch WHERE level_id = ANY(%(ids)s)
                 UNION
                SELECT level_id FROM dunning_batch_line WHERE level_id = ANY(%(ids)s)
                 UNION
                SELECT dunning_level_id FROM account_move_line
                 WHERE dunning_level_id = ANY(%(ids)s)
                """,
                ids=self.ids,
            )
        )
        return self.browse([row[0] for row in rows])

    def _get_channels(self):
        """Keys of the channels this level uses (``CHANNELS`` order)."""
        self.ensure_one()
        return [key for key, fname, _label in CHANNELS if self[fname]]

    def _get_next_level(self):
        self.ensure_one()
        following = self.strategy_id.level_ids.filtered(
            lambda level: level.delay > self.delay
        )
        return following.sorted("delay")[:1]

    @api.constrains("letter_filename")
    def _check_letter_filename(self):
        for level in self.filtered("letter_filename"):
            pattern = level.letter_filename
            unknown = [
                match.group(0)
                for match in FILENAME_PLACEHOLDER.finditer(pattern)
                if match.group(1) is not None
                and match.group(1) not in FILENAME_PLACEHOLDERS
            ]
            if unknown or "{{" in FILENAME_PLACEHOLDER.sub("", pattern):
                raise ValidationError(
                    self.env._(
                        "The letter file name of the level %(level)s is a plain "
                        "pattern: use only the placeholders %(placeholders)s.",
                        level=level.name,
                        placeholders=", ".join(
                            f"{{{key}}}" for key in FILENAME_PLACEHOLDERS
                        ),
                    )
                )

    @api.constrains("delay")
    def _check_delay(self):
        for level in self:
            if abs(level.delay) > MAX_DELAY:
                raise ValidationError(
                    self.env._(
                        "The delay of the follow-up level %(level)s must be between "
                        "-%(max)s and %(max)s days.",
                        level=level.name,
                        max=MAX_DELAY,
                    )
                )

    def _render_letter_filename(self, partner):
        """File name of the letter for ``partner``, from the level's pattern
        (named placeholders replaced by plain values; no code evaluated)."""
        self.ensure_one()
        # the default name in the context's language ("Relance-…" in French)
        pattern = self.letter_filename or DEFAULT_FILENAME
        if pattern in (DEFAULT_FILENAME, "Dunning-{{ object.name }}.pdf"):
            pattern = self.env._("Dunning-{customer}.pdf")
        customer = partner.commercial_partner_id
        values = {
            "customer": customer.name or "",
            "ref": customer.ref or "",
            "level": self.name or "",
            "marker": self.marker_id.code or "",
            "company": self.company_id.name or "",
        }

        def replace(match):
            key = match.group(1)
            if key is None:  # {{ object.name }}
                return partner.name or ""
            return values.get(key, match.group(0))

        rendered = FILENAME_PLACEHOLDER.sub(replace, pattern)
        name = rendered.strip() or f"Dunning-{partner.id}.pdf"
        if not name.lower().endswith(".pdf"):
            name += ".pdf"
        return name.replace("/", "-").replace("\\", "-")

    def _get_letter_subject(self):
        """Subject of the letter: the level's, else a default by rank in the
        strategy (in the context's language)."""
        self.ensure_one()
        if self.letter_subject:
            return self.letter_subject
        levels = self.strategy_id.level_ids.sorted("delay")
        rank = list(levels).index(self) if self in levels else 0
        if rank == 0:
            return self.env._("Friendly payment reminder")
        if rank == len(levels) - 1 and len(levels) >= 3:
            return self.env._("Formal notice to pay")
        return self.env._("Formal payment reminder")
