"""What the loading commands say about a file with problems, in one place."""

from django.core.management.base import CommandError, OutputWrapper
from django.utils.translation import ngettext


def file_problems_error(
    *, stderr: OutputWrapper, filename: str, problems: list[str]
) -> CommandError:
    """Print every problem with the file's name, and the error that ends the command."""
    for problem in problems:
        stderr.write(f"{filename}: {problem}")
    return CommandError(
        ngettext(
            "The file has %(count)s problem, so nothing has been saved.",
            "The file has %(count)s problems, so nothing has been saved.",
            len(problems),
        )
        % {"count": len(problems)}
    )
