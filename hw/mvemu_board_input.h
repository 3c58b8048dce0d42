/*
 * Inputs to the board's own models from outside (QMP commands that drive
 * a pin), as record and replay need them: while a run is recorded each is
 * applied on the vCPU thread, between two instructions, and kept in the
 * recording; while one is replayed they come from the recording only.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_MVEMU_BOARD_INPUT_H
#define HW_MVEMU_BOARD_INPUT_H

typedef void MvemuBoardInputFn(void *opaque, Error **errp);

/*
 * Apply an input from outside with @apply(@opaque); @description
 * ("gpio-set PC13 high") is what a recording keeps of it. Refused, with
 * @errp set, while a run is replayed.
 */
void mvemu_board_input(const char *description, MvemuBoardInputFn *apply,
                       void *opaque, Error **errp);

/*
 * For a model's integer property setter, once @value is checked: true when
 * the setter should store it now; false when it was taken care of (set on
 * the vCPU thread and recorded, or refused with @errp while replaying).
 * Settings before the machine runs (-device properties) are stored at once.
 */
bool mvemu_board_input_property(Object *obj, const char *name, int64_t value,
                                Error **errp);

/* Replay: apply a recorded @description; false for one the board lacks. */
bool mvemu_board_input_replay(const char *description);

#endif
