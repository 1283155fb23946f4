"""Every kind of audit event, declared once with what it does to the data and what undo calls it.

The writer (the stores), the audit replay (``audit.py``), the history sentences (``history.py``),
undo captions and the undo history rebuilt from the log all use these members, never a string of
their own, so a new kind cannot be written without being replayed, described and captioned.
"""

from __future__ import annotations

from enum import Enum, StrEnum


class Effect(Enum):
    """What an event does to the current rows, as the audit replay applies it."""

    ANNOTATOR = "annotator"
    LABEL = "label"
    ATTRIBUTE = "attribute"
    ATTRIBUTE_CHANGE = "attribute_change"
    ATTRIBUTE_REMOVE = "attribute_remove"
    LABEL_CHANGE = "label_change"
    LABEL_REMOVE = "label_remove"
    LABEL_ORDER = "label_order"
    DOCUMENT = "document"
    SPAN_INSERT = "span_insert"
    SPAN_DELETE = "span_delete"
    SPAN_UPDATE = "span_update"
    STATUS = "status"
    #: An adjudication decision that changes no rows (a candidate rejected, or no longer);
    #: the log is where it lives, and the replay checks that each one follows from the last.
    DECISION = "decision"
    #: Changes no data: a record of what an action did (a merge's source file, its conflicts).
    RECORD = "record"
    RELATION_TYPE = "relation_type"
    RELATION_TYPE_CHANGE = "relation_type_change"
    RELATION_TYPE_REMOVE = "relation_type_remove"
    RELATION_INSERT = "relation_insert"
    RELATION_DELETE = "relation_delete"


#: Effects a person can undo: their own spans, relations and statuses, and a curator's decisions
#: about the gold layer (imports, labels and relation types are shared).
_UNDOABLE = frozenset(
    {
        Effect.SPAN_INSERT,
        Effect.SPAN_DELETE,
        Effect.SPAN_UPDATE,
        Effect.STATUS,
        Effect.DECISION,
        Effect.RELATION_INSERT,
        Effect.RELATION_DELETE,
    }
)


class EventKind(StrEnum):
    effect: Effect
    caption: str
    undoable: bool

    def __new__(
        cls, value: str, effect: Effect, caption: str, undoable: bool | None = None
    ) -> EventKind:
        """``undoable=False`` for a kind that changes spans or statuses but is nobody's own
        edit (a merge brings other people's work): it never enters anyone's undo history."""
        member = str.__new__(cls, value)
        member._value_ = value
        member.effect = effect
        member.caption = caption
        member.undoable = effect in _UNDOABLE if undoable is None else undoable
        return member

    @classmethod
    def of(cls, value: str) -> EventKind:
        """The member stored as ``value``; ValueError if there is none."""
        # Enum's lookup by value, which mypy mistakes for a call of the member-building __new__.
        return cls(value)  # type: ignore[call-arg]

    ANNOTATOR_ADDED = ("annotator_added", Effect.ANNOTATOR, "Add annotator")
    LABEL_ADDED = ("label_added", Effect.LABEL, "Add label")
    LABEL_CHANGED = ("label_changed", Effect.LABEL_CHANGE, "Change label")
    LABEL_REMOVED = ("label_removed", Effect.LABEL_REMOVE, "Remove label")
    LABELS_REORDERED = ("labels_reordered", Effect.LABEL_ORDER, "Reorder labels")
    DOCUMENT_IMPORTED = ("document_imported", Effect.DOCUMENT, "Import document")
    SPAN_CREATED = ("span_created", Effect.SPAN_INSERT, "Add span")
    SPAN_COPIED = ("span_copied", Effect.SPAN_INSERT, "Copy span")
    SPAN_RESTORED = ("span_restored", Effect.SPAN_INSERT, "Restore span")
    SPAN_DELETED = ("span_deleted", Effect.SPAN_DELETE, "Delete span")
    SPAN_RELABELLED = ("span_relabelled", Effect.SPAN_UPDATE, "Change label")
    SPAN_RESIZED = ("span_resized", Effect.SPAN_UPDATE, "Resize span")
    SPAN_NOTED = ("span_noted", Effect.SPAN_UPDATE, "Edit note")
    SPAN_UPDATED = ("span_updated", Effect.SPAN_UPDATE, "Edit span")
    SPAN_ATTRIBUTES_SET = ("span_attributes_set", Effect.SPAN_UPDATE, "Set attributes")
    SPAN_EXTENDED = ("span_extended", Effect.SPAN_UPDATE, "Extend span")
    SPAN_FRAGMENT_REMOVED = ("span_fragment_removed", Effect.SPAN_UPDATE, "Remove fragment")
    STATUS_CHANGED = ("status_changed", Effect.STATUS, "Change document status")
    SPAN_ADJUDICATED = ("span_adjudicated", Effect.SPAN_INSERT, "Accept into gold")
    GOLD_SPAN_REMOVED = ("gold_span_removed", Effect.SPAN_DELETE, "Remove gold span")
    CANDIDATE_REJECTED = ("candidate_rejected", Effect.DECISION, "Reject candidate")
    REJECTION_WITHDRAWN = ("rejection_withdrawn", Effect.DECISION, "Withdraw rejection")
    ATTRIBUTE_ADDED = ("attribute_added", Effect.ATTRIBUTE, "Add attribute")
    ATTRIBUTE_CHANGED = ("attribute_changed", Effect.ATTRIBUTE_CHANGE, "Change attribute")
    ATTRIBUTE_REMOVED = ("attribute_removed", Effect.ATTRIBUTE_REMOVE, "Remove attribute")
    # Removing an attribute with its values: the schema change reaches every layer's spans.
    SPAN_ATTRIBUTE_DROPPED = (
        "span_attribute_dropped",
        Effect.SPAN_UPDATE,
        "Drop attribute value",
        False,
    )
    # A merge of another project file (``claimmark merge``): the merger performs these, the
    # records keep their original layers and times; none of them is anyone's undo step.
    PROJECT_MERGED = ("project_merged", Effect.RECORD, "Merge project file")
    MERGE_CONFLICT = ("merge_conflict", Effect.RECORD, "Merge conflict")
    LABEL_MERGED = ("label_merged", Effect.LABEL, "Merge label")
    ATTRIBUTE_MERGED = ("attribute_merged", Effect.ATTRIBUTE, "Merge attribute")
    ANNOTATOR_MERGED = ("annotator_merged", Effect.ANNOTATOR, "Merge layer")
    DOCUMENT_MERGED = ("document_merged", Effect.DOCUMENT, "Merge document")
    SPAN_MERGED = ("span_merged", Effect.SPAN_INSERT, "Merge span", False)
    RELATION_TYPE_MERGED = ("relation_type_merged", Effect.RELATION_TYPE, "Merge relation type")
    RELATION_MERGED = ("relation_merged", Effect.RELATION_INSERT, "Merge relation", False)
    STATUS_MERGED = ("status_merged", Effect.STATUS, "Merge document status", False)
    RELATION_TYPE_ADDED = ("relation_type_added", Effect.RELATION_TYPE, "Add relation type")
    RELATION_TYPE_CHANGED = (
        "relation_type_changed",
        Effect.RELATION_TYPE_CHANGE,
        "Change relation type",
    )
    RELATION_TYPE_REMOVED = (
        "relation_type_removed",
        Effect.RELATION_TYPE_REMOVE,
        "Remove relation type",
    )
    RELATION_CREATED = ("relation_created", Effect.RELATION_INSERT, "Add relation")
    RELATION_RESTORED = ("relation_restored", Effect.RELATION_INSERT, "Restore relation")
    RELATION_DELETED = ("relation_deleted", Effect.RELATION_DELETE, "Delete relation")
    # A schema change (removing a label with "move its spans to another label") edits spans in
    # every layer: not a person's own edit, so not in anyone's undo history.
    SPAN_MOVED_TO_LABEL = (
        "span_moved_to_label",
        Effect.SPAN_UPDATE,
        "Move span to another label",
        False,
    )
    SPAN_MERGED_BY_SCHEMA = (
        "span_merged_by_schema",
        Effect.SPAN_DELETE,
        "Merge duplicate span",
        False,
    )


#: Effects that change the label schema: views re-read the labels when one arrives.
LABEL_EFFECTS = frozenset(
    {Effect.LABEL, Effect.LABEL_CHANGE, Effect.LABEL_REMOVE, Effect.LABEL_ORDER}
)
#: Effects that change attribute definitions.
ATTRIBUTE_EFFECTS = frozenset({Effect.ATTRIBUTE, Effect.ATTRIBUTE_CHANGE, Effect.ATTRIBUTE_REMOVE})
#: Effects that change the relation types.
RELATION_TYPE_EFFECTS = frozenset(
    {Effect.RELATION_TYPE, Effect.RELATION_TYPE_CHANGE, Effect.RELATION_TYPE_REMOVE}
)

#: Which update kind names a change of exactly these span fields.
UPDATE_KIND_BY_FIELDS: dict[tuple[str, ...], EventKind] = {
    ("label",): EventKind.SPAN_RELABELLED,
    ("offsets",): EventKind.SPAN_RESIZED,
    ("note",): EventKind.SPAN_NOTED,
    ("attributes",): EventKind.SPAN_ATTRIBUTES_SET,
    # a relabel drops the attributes the new label does not have
    ("label", "attributes"): EventKind.SPAN_RELABELLED,
}
