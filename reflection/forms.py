"""Forms of the reflection pages: starting, sharing and commenting on a cycle; learning goals,
conversations and agreements; MERID profiles and estimates.

The long texts of a cycle are not a Django form: they follow reflection/phases.py and are
saved by autosave or, without JavaScript, by the whole page (reflection/views/cycles.py).

Every choice of a visit, observation, reflection or person comes from the access policy and is
limited to the one trajectory, so an id from outside what the user may see is simply not a
valid choice and nothing is written. Choices carry public ids, never sequential keys.
"""

import datetime

from django import forms
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mentoring import access
from observations.forms import DateTimeInput
from observations.models import LessonVisit, Observation, ObservationStatus, VisitStatus
from reflection import group_phases, phases, services
from reflection.models import (
    CommentKind,
    Conversation,
    ConversationKind,
    CycleKind,
    CycleStatus,
    GoalStatus,
    GroupSession,
    LearningGoal,
    MeridInput,
    MeridRole,
    MeridStyle,
    ReflectionCycle,
)
from roles.forms import DateInput
from roles.models import (
    LearningGroup,
    LearningGroupFormat,
    OpleiderKind,
    Role,
    RoleAssignment,
    School,
    Trajectory,
    TrajectoryStatus,
    User,
)

# One line per kind, shown under its radio button so the choice is an informed one.
KIND_EXPLANATIONS = {
    CycleKind.ALACT: _(
        "Five phases from one concrete experience: what happened, looking back with eight "
        "questions, what is essential, alternatives and a new intention, trying it out."
    ),
    CycleKind.CORE: _(
        "From a situation through the levels of the onion to your ideal and core qualities, "
        "what stands in the way, and a new step."
    ),
}


class TrajectoryChoiceField(forms.ModelChoiceField):
    """A trajectory of the (student) teacher, named by its kind and begeleider."""

    def label_from_instance(self, trajectory: Trajectory) -> str:
        if trajectory.status == TrajectoryStatus.ENDED:
            return gettext("%(kind)s with %(begeleider)s (ended)") % {
                "kind": trajectory.get_kind_display().capitalize(),
                "begeleider": trajectory.begeleider.full_name,
            }
        return gettext("%(kind)s with %(begeleider)s") % {
            "kind": trajectory.get_kind_display().capitalize(),
            "begeleider": trajectory.begeleider.full_name,
        }


class CycleCreateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of reflection"),
        choices=CycleKind.choices,
        initial=CycleKind.ALACT,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    trajectory = TrajectoryChoiceField(
        label=_("Trajectory"),
        queryset=Trajectory.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("None yet (you choose when you share it)"),
        help_text=_("Whose begeleider may read it once you share it. Until then it is yours."),
    )

    def __init__(self, *args, trajectories: QuerySet[Trajectory] | None, **kwargs):
        """`trajectories`: the teacher's own, to choose from; None when the cycle is about a
        lesson visit, whose trajectory it then belongs to."""
        super().__init__(*args, **kwargs)
        if trajectories is None:
            del self.fields["trajectory"]
            return
        self.fields["trajectory"].queryset = trajectories
        if len(trajectories) == 1 and not self.is_bound and "trajectory" not in self.initial:
            self.initial["trajectory"] = trajectories[0]

    def kind_options(self):
        """The radio buttons with their explanations, for the template."""
        chosen = self["kind"].value()
        return [
            {
                "value": value,
                "label": label,
                "explanation": KIND_EXPLANATIONS[value],
                "checked": value == chosen,
            }
            for value, label in CycleKind.choices
        ]


class ShareForm(forms.Form):
    """Sharing a cycle that has no trajectory yet: with which begeleider."""

    trajectory = TrajectoryChoiceField(
        label=_("Share with"),
        queryset=Trajectory.objects.none(),
        to_field_name="public_id",
        required=False,
    )

    def __init__(self, *args, trajectories: QuerySet[Trajectory], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trajectory"].queryset = trajectories


class CommentForm(forms.Form):
    """A comment or question on a section (or the whole), or a reply to one. Whether the text
    is acceptable is the service's question, so its refusal reads the same everywhere."""

    text = forms.CharField(required=False, strip=False)
    kind = forms.ChoiceField(
        choices=[(CommentKind.COMMENT, ""), (CommentKind.QUESTION, "")],
        required=False,
    )
    phase = forms.CharField(required=False, max_length=20)
    parent = forms.UUIDField(required=False)


# --- Learning goals, conversations and agreements ------------------------------------------


SHARED = [CycleStatus.SHARED, CycleStatus.DISCUSSED]


def _date(moment) -> str:
    return formats.date_format(timezone.localtime(moment))


def visit_label(visit: LessonVisit) -> str:
    if visit.class_name:
        return gettext("Lesson visit of %(date)s (%(class)s)") % {
            "date": _date(visit.starts_at),
            "class": visit.class_name,
        }
    return gettext("Lesson visit of %(date)s") % {"date": _date(visit.starts_at)}


def observation_label(observation: Observation) -> str:
    return gettext("Observation of %(date)s by %(observer)s") % {
        "date": _date(observation.visit.starts_at),
        "observer": observation.observer.full_name,
    }


def cycle_label(cycle: ReflectionCycle) -> str:
    return gettext("Reflection: %(title)s") % {"title": cycle.title}


def form_errors(form) -> str:
    """A form's errors as one sentence for a message, each named by its field's label."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        for error in errors:
            named = gettext("%(field)s: %(error)s") % {"field": label, "error": error}
            parts.append(named if label else error)
    return " ".join(parts)


# --- What a form of one trajectory may offer --------------------------------------------------


def visits_of(
    user: User, trajectory: Trajectory, *, keep: LessonVisit | None = None
) -> QuerySet[LessonVisit]:
    """The trajectory's visits that were not cancelled (and `keep`, already chosen)."""
    return (
        access.visits_visible_to(user)
        .filter(trajectory=trajectory)
        .filter(~Q(status=VisitStatus.CANCELLED) | Q(pk=keep.pk if keep else None))
        .order_by("-starts_at")
    )


def final_observations_of(user: User, trajectory: Trajectory) -> QuerySet[Observation]:
    return (
        access.observations_visible_to(user)
        .filter(visit__trajectory=trajectory, status=ObservationStatus.FINAL)
        .select_related("visit", "observer")
        .order_by("-visit__starts_at", "pk")
    )


def shared_cycles_of(user: User, trajectory: Trajectory) -> QuerySet[ReflectionCycle]:
    return (
        access.cycles_visible_to(user)
        .filter(trajectory=trajectory, status__in=SHARED)
        .order_by("-shared_at", "-pk")
    )


def participant_candidates(trajectory: Trajectory) -> QuerySet[User]:
    """Who may take part besides the pair: in opleiden, the school's schoolopleider(s). The
    service checks each against the access policy again."""
    if trajectory.is_coaching:
        return User.objects.none()
    schoolopleiders = RoleAssignment.objects.filter(
        school=trajectory.school, role=Role.OPLEIDER, opleider_kind=OpleiderKind.SCHOOLOPLEIDER
    ).values("user")
    candidates = User.objects.filter(pk__in=schoolopleiders).exclude(
        pk__in=[trajectory.teacher_id, trajectory.begeleider_id]
    )
    allowed = [person.pk for person in candidates if access.can(person, "view_content", trajectory)]
    return User.objects.filter(pk__in=allowed).order_by("full_name")


class LabelledChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, labeller, **kwargs):
        super().__init__(*args, to_field_name="public_id", **kwargs)
        self.labeller = labeller

    def label_from_instance(self, obj) -> str:
        return self.labeller(obj)


class PersonChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, to_field_name="public_id", **kwargs)

    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, to_field_name="public_id", **kwargs)

    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


# --- Learning goals -------------------------------------------------------------------------


class GoalForm(forms.Form):
    title = forms.CharField(
        label=_("Goal"),
        max_length=200,
        help_text=_("What do you want to be able to do? One sentence."),
        widget=forms.TextInput(attrs={"data-counter": ""}),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=phases.SHORT,
        required=False,
        strip=False,
        help_text=_("How will you work on it, and how will you know you have reached it?"),
        widget=forms.Textarea(attrs={"rows": 5, "data-counter": ""}),
    )


class GoalEditForm(GoalForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=[(value, capfirst(label)) for value, label in GoalStatus.choices]
    )
    # The version the form was opened with (mentoring/versioning.py).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    field_order = ["status", "title", "description", "version"]

    @classmethod
    def for_goal(cls, goal: LearningGoal) -> "GoalEditForm":
        return cls(
            initial={
                "status": goal.status,
                "title": goal.title,
                "description": goal.description,
                "version": goal.version,
            }
        )


class EvidenceField(forms.ChoiceField):
    """One visit, final observation or shared reflection of the trajectory, as
    "<kind>:<public id>"; the objects come from the access querysets."""

    def __init__(self, *args, groups: dict[str, tuple[str, dict]], **kwargs):
        self.groups = groups
        choices = [("", "---------")]
        for label, (kind, objects) in groups.items():
            if objects:
                choices.append(
                    (label, [(f"{kind}:{key}", text) for key, (_obj, text) in objects.items()])
                )
        super().__init__(*args, choices=choices, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        kind, _sep, key = value.partition(":")
        for group_kind, objects in self.groups.values():
            if group_kind == kind and key in objects:
                return kind, objects[key][0]
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )

    def validate(self, value):
        if value is None and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class EvidenceForm(forms.Form):
    link = forms.Field(label=_("What shows your work on this goal?"))
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        help_text=_("Optional: what it shows."),
        widget=forms.TextInput(attrs={"data-counter": ""}),
    )

    def __init__(self, *args, user: User, goal: LearningGoal, **kwargs):
        super().__init__(*args, **kwargs)
        trajectory = goal.trajectory
        linked = goal.evidence.all()
        visits = visits_of(user, trajectory).exclude(
            pk__in=linked.filter(visit__isnull=False).values("visit")
        )
        observations = final_observations_of(user, trajectory).exclude(
            pk__in=linked.filter(observation__isnull=False).values("observation")
        )
        cycles = shared_cycles_of(user, trajectory).exclude(
            pk__in=linked.filter(cycle__isnull=False).values("cycle")
        )
        groups = {
            gettext("Lesson visits"): (
                "visit",
                {str(v.public_id): (v, visit_label(v)) for v in visits},
            ),
            gettext("Observations"): (
                "observation",
                {str(o.public_id): (o, observation_label(o)) for o in observations},
            ),
            gettext("Reflections"): (
                "cycle",
                {str(c.public_id): (c, cycle_label(c)) for c in cycles},
            ),
        }
        self.fields["link"] = EvidenceField(label=self.fields["link"].label, groups=groups)
        self.has_choices = any(objects for _kind, objects in groups.values())

    def clean(self):
        cleaned = super().clean()
        link = cleaned.get("link")
        if link is not None:
            kind, obj = link
            cleaned["visit"] = obj if kind == "visit" else None
            cleaned["observation"] = obj if kind == "observation" else None
            cleaned["cycle"] = obj if kind == "cycle" else None
        return cleaned


# --- Conversations --------------------------------------------------------------------------


class ConversationDetailsForm(forms.Form):
    """The details of a conversation; its topics and notes are written on its own page."""

    held_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    visit = LabelledChoiceField(
        label=_("Lesson visit"),
        queryset=LessonVisit.objects.none(),
        required=False,
        labeller=visit_label,
        help_text=_("A nagesprek belongs to the lesson visit it follows."),
    )
    participants = PeopleChoiceField(
        label=_("Also taking part"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The (student) teacher and the begeleider always take part."),
    )
    cycle = LabelledChoiceField(
        label=_("Reflection discussed"),
        queryset=ReflectionCycle.objects.none(),
        required=False,
        labeller=cycle_label,
        help_text=_("Optional: a reflection shared in this trajectory."),
    )
    observation = LabelledChoiceField(
        label=_("Observation discussed"),
        queryset=Observation.objects.none(),
        required=False,
        labeller=observation_label,
        help_text=_("Optional: a final observation of this trajectory."),
    )

    def __init__(
        self,
        *args,
        user: User,
        trajectory: Trajectory,
        current_visit: LessonVisit | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.trajectory = trajectory
        self.fields["visit"].queryset = visits_of(user, trajectory, keep=current_visit)
        self.fields["cycle"].queryset = shared_cycles_of(user, trajectory)
        self.fields["observation"].queryset = final_observations_of(user, trajectory)
        candidates = participant_candidates(trajectory)
        if candidates.exists():
            self.fields["participants"].queryset = candidates
        else:
            # Nobody besides the pair may take part (always so in coaching): nothing to choose.
            del self.fields["participants"]

    def chosen_kind(self) -> str:
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if (
            self.chosen_kind() == ConversationKind.NAGESPREK
            and "visit" in cleaned
            and cleaned["visit"] is None
        ):
            self.add_error(
                "visit", gettext("A nagesprek belongs to a lesson visit; choose the visit.")
            )
        cleaned.setdefault("participants", [])
        return cleaned


class ConversationForm(ConversationDetailsForm):
    kind = forms.ChoiceField(label=_("Kind of conversation"), widget=forms.RadioSelect)
    topics = forms.CharField(
        label=_("Topics"),
        max_length=services.CONVERSATION_TEXT_LIMITS["topics"],
        required=False,
        strip=False,
        help_text=_("What you want to talk about. You can add notes on the next page."),
        widget=forms.Textarea(attrs={"rows": 3, "data-counter": ""}),
    )

    field_order = ["kind", "held_on", "visit", "participants", "topics", "cycle", "observation"]

    def __init__(self, *args, user: User, trajectory: Trajectory, **kwargs):
        super().__init__(*args, user=user, trajectory=trajectory, **kwargs)
        kinds = [ConversationKind.NAGESPREK]
        if trajectory.is_coaching:
            kinds.append(ConversationKind.COACHGESPREK)
        self.fields["kind"].choices = [(kind.value, capfirst(kind.label)) for kind in kinds]
        self.fields["kind"].help_text = (
            gettext("A nagesprek follows a lesson visit; a coachgesprek stands on its own.")
            if trajectory.is_coaching
            else gettext("A nagesprek follows a lesson visit.")
        )

    def chosen_kind(self) -> str:
        return self.cleaned_data.get("kind", "")


class ConversationEditForm(ConversationDetailsForm):
    # The version the form was opened with (mentoring/versioning.py).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, user: User, conversation: Conversation, **kwargs):
        self.conversation = conversation
        super().__init__(
            *args,
            user=user,
            trajectory=conversation.trajectory,
            current_visit=conversation.visit,
            **kwargs,
        )

    @classmethod
    def for_conversation(cls, user: User, conversation: Conversation) -> "ConversationEditForm":
        pair = {conversation.trajectory.teacher_id, conversation.trajectory.begeleider_id}
        return cls(
            user=user,
            conversation=conversation,
            initial={
                "held_on": conversation.held_on,
                "visit": conversation.visit,
                "participants": [p for p in conversation.participants.all() if p.pk not in pair],
                "cycle": conversation.cycle,
                "observation": conversation.observation,
                "version": conversation.version,
            },
        )

    def chosen_kind(self) -> str:
        return self.conversation.kind


class ConversationTextsForm(forms.Form):
    """The topics and notes without JavaScript: the same save as the autosave."""

    topics = forms.CharField(
        label=_("Topics"),
        max_length=services.CONVERSATION_TEXT_LIMITS["topics"],
        required=False,
        strip=False,
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=services.CONVERSATION_TEXT_LIMITS["notes"],
        required=False,
        strip=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def changes(self) -> list[dict]:
        return [
            {"field": name, "text": self.cleaned_data[name]}
            for name in ("topics", "notes")
            if name in self.data
        ]


class AgreementForm(forms.Form):
    what = forms.CharField(
        label=_("What"), max_length=500, widget=forms.TextInput(attrs={"data-counter": ""})
    )
    who = PersonChoiceField(label=_("Who"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("By when"), required=False, widget=DateInput())

    def __init__(self, *args, conversation: Conversation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].queryset = conversation.participants.order_by("full_name")


# --- MERID profiles -------------------------------------------------------------------------

# What each role means in plain words, beside its number: the estimate is only as good as the
# reader's idea of the roles.
MERID_ROLE_EXPLANATIONS = {
    MeridRole.IMPERATOR: _("brings in the topics and steers: judges, gives an opinion, advises"),
    MeridRole.INITIATOR: _("brings in the topics and follows: listens, summarises, asks further"),
    MeridRole.ENCOURAGER: _(
        "takes up the other's topics and follows: listens, summarises, asks further"
    ),
    MeridRole.ADVISOR: _(
        "takes up the other's topics and steers: judges, gives an opinion, advises"
    ),
}

# Short, to fit a row on a tablet; the page explains them above the table.
MERID_INPUT_CHOICES = [
    (MeridInput.ACTIVE, _("me (active)")),
    (MeridInput.REACTIVE, _("the other (reactive)")),
]
MERID_STYLE_CHOICES = [
    (MeridStyle.DIRECTIVE, _("directive (OMA)")),
    (MeridStyle.NON_DIRECTIVE, _("non-directive (LSD)")),
]


class SchoolChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, to_field_name="public_id", **kwargs)

    def label_from_instance(self, obj: School) -> str:
        return obj.name


class MeridProfileForm(forms.Form):
    """A profile of a conversation held outside the app (a recording, a training video) or a
    general self-estimate; a conversation in the app starts from its own page."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_(
            "For example: coaching conversation with Sanne, or the video from the training."
        ),
    )
    held_on = forms.DateField(label=_("Date of the conversation"), widget=DateInput())
    school = SchoolChoiceField(label=_("School"), queryset=School.objects.none())

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        schools = list(access.merid_schools(user))
        self.fields["school"].queryset = access.merid_schools(user)
        # Most begeleiders work at one school: then there is nothing to choose.
        self.only_school = schools[0] if len(schools) == 1 else None
        if self.only_school:
            self.fields["school"].required = False
            self.fields["school"].widget = forms.HiddenInput()
        self.fields["held_on"].initial = timezone.localdate()

    def clean_school(self):
        return self.cleaned_data["school"] or self.only_school


class MeridEstimateForm(forms.Form):
    """Four whole percentages, one per role; the service checks that they total 100."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for role in MeridRole:
            self.fields[role.value] = forms.IntegerField(
                label=capfirst(role.label),
                help_text=MERID_ROLE_EXPLANATIONS[role],
                min_value=0,
                max_value=100,
                widget=forms.NumberInput(attrs={"data-merid-share": role.value, "step": 1}),
            )

    def percentages(self) -> dict[str, int]:
        return {role: self.cleaned_data[role] for role in MeridRole.values}

    def roles(self):
        """The four fields in the drawing's order, each with its role, for the template."""
        return [(role, self[role.value]) for role in MeridRole]


class MeridShareForm(forms.Form):
    person = PersonChoiceField(label=_("Colleague"), queryset=User.objects.none())
    may_code = forms.BooleanField(
        label=_("May also code the topics with me"),
        required=False,
        help_text=_("For a trainer who codes the conversation with you."),
    )

    def __init__(self, *args, profile, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = access.merid_sharing_candidates(profile)


# --- Learning-group sessions ----------------------------------------------------------------


class GroupSessionForm(forms.Form):
    """Planning a session of a learning group; it starts in the format's first phase."""

    starts_at = forms.DateTimeField(
        label=_("Date and time"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    focus = forms.CharField(
        label=_("Theme or question"),
        max_length=500,
        required=False,
        help_text=_("Empty: the group's theme."),
    )
    research_lesson = forms.IntegerField(
        label=_("Research lesson"),
        min_value=1,
        max_value=20,
        required=False,
        help_text=_("Which research lesson of the cycle this session is about: 1, 2, ..."),
    )

    def __init__(self, *args, group: LearningGroup, **kwargs):
        super().__init__(*args, **kwargs)
        if group.format != LearningGroupFormat.LESSON_STUDY:
            del self.fields["research_lesson"]

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        if starts_at < timezone.now() - datetime.timedelta(days=365):
            raise forms.ValidationError(_("That is more than a year ago."))
        return starts_at


class SessionEntryForm(forms.Form):
    """A contribution to one phase; the fields follow what the phase collects (the service
    checks the same again): a case pupil for lesson study, two steps for noticing."""

    phase = forms.CharField(widget=forms.HiddenInput, max_length=30)
    case_pupil = forms.CharField(
        label=_("Case pupil"),
        max_length=100,
        help_text=_("A first name or a letter, as the group agreed."),
    )
    text = forms.CharField(
        label=_("Your contribution"),
        max_length=phases.LONG,
        widget=forms.Textarea(attrs={"rows": 3, "data-counter": ""}),
    )
    interpretation = forms.CharField(
        label=_("How do I interpret it?"),
        max_length=phases.LONG,
        widget=forms.Textarea(attrs={"rows": 3, "data-counter": ""}),
    )

    def __init__(self, *args, phase: group_phases.GroupPhase, **kwargs):
        # Each phase's form has its own ids, so several forms live on one page.
        kwargs.setdefault("auto_id", f"id_{phase.key}_%s")
        super().__init__(*args, **kwargs)
        self.fields["phase"].initial = phase.key
        if phase.collects != group_phases.CASE_PUPIL:
            del self.fields["case_pupil"]
        if phase.collects == group_phases.NOTICING:
            self.fields["text"].label = _("What do I see?")
            self.fields["text"].help_text = _("Pupils' words and actions, without judging.")
        else:
            del self.fields["interpretation"]


class PrincipleForm(forms.Form):
    text = forms.CharField(
        label=_("Principle"),
        max_length=services.PRINCIPLE_LENGTH,
        help_text=_("A practical rule of thumb you can use tomorrow."),
        widget=forms.TextInput(attrs={"data-counter": ""}),
    )


class GroupNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note to the group"),
        max_length=services.GROUP_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "data-counter": ""}),
    )


def group_member_candidates(group: LearningGroup) -> QuerySet[User]:
    """Who may be added: active colleagues at the group's school who are not a current member
    or a facilitator (someone who left may join again)."""
    current = group.memberships.filter(left_on__isnull=True).values("user")
    return (
        User.objects.filter(
            is_active=True,
            memberships__school=group.school,
            memberships__is_active=True,
        )
        .exclude(pk__in=current)
        .exclude(pk__in=group.facilitators.values("pk"))
        .distinct()
        .order_by("full_name", "email")
    )


class MemberAddForm(forms.Form):
    person = PersonChoiceField(label=_("Colleague"), queryset=User.objects.none())

    def __init__(self, *args, group: LearningGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = group_member_candidates(group)


class AttendanceForm(forms.Form):
    attendees = PeopleChoiceField(
        label=_("Present"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, session: GroupSession, **kwargs):
        super().__init__(*args, **kwargs)
        group = session.group
        current = group.memberships.filter(left_on__isnull=True).values("user")
        self.fields["attendees"].queryset = User.objects.filter(
            Q(pk__in=current) | Q(pk__in=group.facilitators.values("pk"))
        ).order_by("full_name", "email")
