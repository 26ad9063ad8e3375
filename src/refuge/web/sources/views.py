"""Source screens: list, page, upload, grading. Thin: forms, one service or selector, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from refuge.errors import RefugeError
from refuge.web.disclosure import policy
from refuge.web.sources import selectors
from refuge.web.sources.custody import custody_append
from refuge.web.sources.forms import GradeForm, UploadForm
from refuge.web.sources.ingest import CaptureMetadata, Outcome, ingest_bytes
from refuge.web.sources.services import source_grade

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


@login_required
def source_list(request: HttpRequest) -> HttpResponse:
    sources = selectors.source_list(user=request.user)
    return render(
        request,
        "sources/list.html",
        {"sources": sources, "may_upload": policy.may_edit(request.user)},
    )


@login_required
def source_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    source = selectors.source_get(user=request.user, uuid=uuid)
    if source is None:
        raise Http404("No such source.")
    fields = policy.redact(request.user, source)
    if "text" in fields:
        # Reading the derived text of evidence is part of its chain of custody.
        custody_append(
            source=source,
            action="viewed",
            actor=f"user:{request.user}",
            payload={"what": "source page"},
        )
    return render(
        request,
        "sources/detail.html",
        {
            "source": source,
            "fields": fields,
            "custody": selectors.source_custody(user=request.user, source=source),
            "grade_form": GradeForm(
                initial={"reliability": source.reliability, "credibility": source.credibility}
            ),
            "may_edit": policy.may_edit(request.user),
        },
    )


@login_required
def source_grade_view(request: HttpRequest, uuid: str) -> HttpResponse:
    source = selectors.source_get(user=request.user, uuid=uuid)
    if source is None:
        raise Http404("No such source.")
    if request.method != "POST":
        return redirect("sources:detail", uuid=uuid)
    form = GradeForm(request.POST)
    if form.is_valid():
        try:
            source_grade(
                source=source,
                user=request.user,
                reliability=form.cleaned_data["reliability"],
                credibility=form.cleaned_data["credibility"],
            )
        except RefugeError as exc:
            raise PermissionDenied(str(exc)) from None
        messages.success(request, gettext("Grade saved."))
    else:
        messages.error(request, gettext("The grade was not saved: choose a letter and a number."))
    return redirect("sources:detail", uuid=uuid)


@login_required
def source_upload(request: HttpRequest) -> HttpResponse:
    if not policy.may_edit(request.user):
        raise PermissionDenied("Uploading sources needs the editor role.")
    outcomes: list[Outcome] = []
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meta = CaptureMetadata(
            source_url=data["source_url"],
            outlet=data["outlet"],
            author=data["author"],
            published=data["published"],
            language=data["language"],
            reliability=data["reliability"],
            credibility=data["credibility"],
            captured_by_name=data["captured_by_name"],
            content_class=data["content_class"],
            team=getattr(request.user, "team", None),
            captured_by=request.user,
            disclosure=data["disclosure"],
        )
        for upload in data["uploads"]:
            if upload.size > MAX_UPLOAD_BYTES:
                outcomes.append(Outcome(upload.name, "failed", "larger than the limit of 50 MB"))
                continue
            try:
                outcomes.extend(
                    ingest_bytes(
                        upload.read(), name=upload.name, meta=meta, max_bytes=MAX_UPLOAD_BYTES
                    )
                )
            except RefugeError as exc:
                outcomes.append(Outcome(upload.name, "failed", str(exc)))
            finally:
                upload.close()  # a temporary upload file is deleted when closed
    return render(
        request,
        "sources/upload.html",
        {"form": form, "outcomes": outcomes, "limit_mb": settings.FILE_UPLOAD_LIMIT_MB},
    )
