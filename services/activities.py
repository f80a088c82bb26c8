"""To-dos job orders leave their responsible (demand decreased after
planning, deadline passed): the activity values, as plain functions the
model methods of mrp.job.order create, so that the model keeps only the
when and the text-building lives with the rest of the bookkeeping."""

from odoo import fields


def _todo_values(order, summary, note):
    env = order.env
    return {
        "res_model_id": env["ir.model"]._get_id(order._name),
        "res_id": order.id,
        "activity_type_id": env.ref("mail.mail_activity_data_todo").id,
        "user_id": order.user_id.id or env.uid,
        "summary": summary,
        "note": note,
    }


def excess_activity_values(order):
    """Activity values for ``order``, whose planned demand decreased: the
    demand planned beyond what is still ordered, listed in the note."""
    env = order.env
    excess = (
        env["mrp.job.order.demand"]
        .sudo()
        .search([("job_order_id", "=", order.id), ("excess_qty", ">", 0)])
    )
    lines = ", ".join(
        "%s %s %s (%s)"
        % (
            d.excess_qty,
            d.product_id.uom_id.name,
            d.product_id.display_name,
            d.sale_line_id.order_id.name or d.source,
        )
        for d in excess
    )
    return _todo_values(
        order,
        env._("Demand decreased after planning"),
        env._(
            "Planned beyond what is still ordered: %s. Reduce the job order, or run "
            'generation with "update existing" to reduce it if it has not started.',
            lines,
        ),
    )


def late_activity_values(orders):
    """Activity values for the late ``orders`` not flagged yet (an activity
    with the same summary exists): each late job order gets one, once."""
    env = orders.env
    summary = env._("Job order late")
    flagged = set(
        env["mail.activity"]
        .sudo()
        .search(
            [
                ("res_model", "=", orders._name),
                ("res_id", "in", orders.ids),
                ("summary", "=", summary),
            ]
        )
        .mapped("res_id")
    )
    return [
        _todo_values(
            order,
            summary,
            env._(
                "The deadline %(deadline)s has passed and %(left)s of %(total)s are "
                "still to produce.",
                deadline=fields.Datetime.to_string(order.date_deadline),
                left=order.product_qty - order.qty_produced,
                total=order.product_qty,
            ),
        )
        for order in orders
        if order.id not in flagged
    ]
